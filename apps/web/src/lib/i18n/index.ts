import en from './en.json';
import vi from './vi.json';

export const langs = ['vi', 'en'] as const;
export type Lang = (typeof langs)[number];
export const defaultLang: Lang = 'vi';
export const LANG_COOKIE = 'lang';

export type MessageKey = keyof typeof vi;
export type MessageParams = Record<string, string | number>;
/** A message chosen on the server (e.g. by a form action) and translated on the page. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

// `en` must have exactly the keys of `vi`: a missing key is a type error here and a failing unit test.
const catalogs: Record<Lang, Record<MessageKey, string>> = { vi, en };

export function parseLang(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : defaultLang;
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/** The message `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[lang][key] ?? catalogs.vi[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** A `t(key, params)` bound to one language, for server code and tests. */
export function translator(lang: Lang) {
  return (key: MessageKey, params?: MessageParams) => translate(lang, key, params);
}

export function localeOf(lang: Lang): string {
  return lang === 'vi' ? 'vi-VN' : 'en-GB';
}

export const messagesForTests = catalogs;
