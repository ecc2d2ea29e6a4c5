import { page } from '$app/state';
import { type Lang, type Message, type MessageKey, type MessageParams, parseLang, translate } from './index.ts';

/** The language of the current page (from the `lang` cookie, via the root layout). */
export function currentLang(): Lang {
  return parseLang((page.data as { lang?: string }).lang);
}

/** Translate `key` into the language of the current page. Use in components only. */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(currentLang(), key, params);
}

/** Translate a message produced on the server (form actions). */
export function tm(message: Message): string {
  return translate(currentLang(), message.key, message.params);
}
