import { describe, expect, it } from 'vitest';
import { renderLessonHtml, withoutRepeatedTitle } from './render-lesson-html.ts';

// A list drawn from the OWASP XSS filter evasion cheat sheet: each must come out without script, handler or javascript: URL.
const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<a href="javascript:alert(1)">bấm</a>',
  '<a href="JaVaScRiPt:alert(1)">bấm</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">bấm</a>',
  '<a href=" javascript:alert(1)">bấm</a>',
  '<a href="jav&#x09;ascript:alert(1)">bấm</a>',
  '[bấm](javascript:alert(1))',
  '![ảnh](javascript:alert(1))',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p onclick="alert(1)">chạm</p>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '"><script>alert(1)</script>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<base href="javascript:alert(1)//">',
  '<a href="vbscript:msgbox(1)">x</a>',
];

describe('lesson HTML', () => {
  it.each(payloads)('strips script, handlers and javascript: URLs from %s', (payload) => {
    const html = renderLessonHtml(`Bài học\n\n${payload}\n`);
    expect(html).not.toMatch(/<script|<svg|<iframe|<object|<embed|<form|<style|<meta|<base|<input|<body/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:|vbscript:|data:/i);
  });

  it('keeps the markdown a lesson needs: headings one level below the page title, lists, emphasis, quotes and https links', () => {
    const html = renderLessonHtml('# Tiêu đề\n\n- **một**\n- *hai*\n\n> mẹo\n\n[Cổng](https://dichvucong.gov.vn)');
    expect(html).toContain('<h2>Tiêu đề</h2>');
    expect(html).toContain('<strong>một</strong>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<a href="https://dichvucong.gov.vn" rel="noopener noreferrer nofollow" target="_blank">Cổng</a>');
  });

  it('keeps https images and drops http ones', () => {
    expect(renderLessonHtml('![a](https://example.vn/a.png)')).toContain('<img src="https://example.vn/a.png" alt="a" />');
    expect(renderLessonHtml('![a](http://example.vn/a.png)')).not.toContain('src=');
  });
});

describe('the lesson title at the top of its markdown', () => {
  it('is dropped when it repeats the title the player already shows', () => {
    const html = renderLessonHtml('# Đăng nhập VNeID\n\nMở ứng dụng.', 'Đăng nhập VNeID');
    expect(html).not.toContain('Đăng nhập VNeID');
    expect(html).toContain('<p>Mở ứng dụng.</p>');
  });

  it('is kept when it says something else, and later headings are never touched', () => {
    expect(withoutRepeatedTitle('# Giới thiệu\n\ntext', 'Đăng nhập VNeID')).toBe('# Giới thiệu\n\ntext');
    expect(withoutRepeatedTitle('text\n\n# Đăng nhập VNeID', 'Đăng nhập VNeID')).toBe('text\n\n# Đăng nhập VNeID');
  });

  it('matches whatever the letter case or Unicode form the author typed', () => {
    expect(withoutRepeatedTitle('## ĐĂNG NHẬP VNEID\r\nx'.normalize('NFD'), 'Đăng nhập VNeID')).toBe('x');
  });
});
