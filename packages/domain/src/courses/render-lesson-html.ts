import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Lesson markdown to HTML that is safe to put in a page: markdown may carry raw HTML, so the result goes
 * through an allow-list. Anything not listed (script, style, iframe, event handlers, javascript: and data:
 * URLs, SVG) is dropped, rather than trying to enumerate what is dangerous.
 */
const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // links leave the platform in a new context and without the referrer
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
    // the player's page has the lesson title as its one h1, so the lesson's own headings move one level down
    h1: 'h2',
    h2: 'h3',
    h3: 'h4',
    h4: 'h5',
  },
};
policy.allowedAttributes = { ...(policy.allowedAttributes as Record<string, string[]>), a: ['href', 'title', 'rel', 'target'] };

/**
 * Authors often open a lesson with its title as a heading; the player already shows the title, so a first
 * heading that repeats it is dropped rather than shown twice.
 */
export function withoutRepeatedTitle(markdown: string, title: string): string {
  const match = /^\s*#{1,6}[ \t]+(.+?)[ \t#]*(\r?\n|$)/.exec(markdown);
  if (!match) return markdown;
  const fold = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi');
  return fold(match[1] ?? '') === fold(title) ? markdown.slice(match[0].length) : markdown;
}

export function renderLessonHtml(markdown: string, title?: string): string {
  const source = title ? withoutRepeatedTitle(markdown, title) : markdown;
  const raw = marked.parse(source, { async: false, gfm: true }) as string;
  return sanitizeHtml(raw, policy);
}
