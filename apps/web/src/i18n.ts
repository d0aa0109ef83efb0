import en from './i18n/en.json';
import vi from './i18n/vi.json';

/** Vietnamese first; English on request, remembered in localStorage. */
export const LANGUAGES = ['vi', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export type MessageKey = keyof typeof vi;
export type Messages = Readonly<Record<MessageKey, string>>;

export const DICTIONARIES: Readonly<Record<Lang, Messages>> = { vi, en };
export const LANG_STORAGE_KEY = 'vwu.lang';

let current: Lang = 'vi';

export const lang = (): Lang => current;

export const setLang = (next: Lang): void => {
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(LANG_STORAGE_KEY, next);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
};

export const initLang = (): void => {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    stored = null;
  }
  current = stored === 'en' ? 'en' : 'vi';
  document.documentElement.lang = current;
};

/** The message for a key in the current language, with `{name}` placeholders filled. */
export const t = (key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string =>
  (DICTIONARIES[current][key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );

/** For keys built from data (a status, a level): falls back to the raw value when there is no message. */
export const tOr = (key: string, fallback: string): string => (key in DICTIONARIES[current] ? t(key as MessageKey) : fallback);
