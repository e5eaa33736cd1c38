// The message catalogues and the current language. Japanese first, English switchable; the
// choice is remembered in this browser.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Locale } from '../lib/datetime';
import { en } from './en';
import { ja, type MessageKey } from './ja';

export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Record<MessageKey, string>> = { ja, en };
const storageKey = 'yoyaku.locale';

export function translator(locale: Locale): Translate {
  const table = catalogues[locale];
  return (key, vars) =>
    table[key].replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}

export function isLocale(v: unknown): v is Locale {
  return v === 'ja' || v === 'en';
}

/** The language chosen in this browser before, if any. */
export function rememberedLocale(): Locale | null {
  try {
    const v = localStorage.getItem(storageKey);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // Storage may be off (private mode): the choice then lasts for this page only.
  }
}

export interface I18n {
  locale: Locale;
  t: Translate;
  setLocale: (l: Locale) => void;
}

export const I18nContext = createContext<I18n>({
  locale: 'ja',
  t: translator('ja'),
  setLocale: () => {},
});

export const useI18n = (): I18n => useContext(I18nContext);
