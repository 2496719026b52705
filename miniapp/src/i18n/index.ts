import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { createStore, useStore } from '../lib/store';
import { readStored, writeStored } from '../lib/storage';
import { MESSAGES, type MessageKey } from './messages';

export type Lang = 'zh' | 'en';
export type { MessageKey };

export const LANGS: readonly Lang[] = ['zh', 'en'];

function initialLang(): Lang {
  const stored = readStored<Lang>('lang');
  return stored === 'en' || stored === 'zh' ? stored : 'zh';
}

export const langStore = createStore<Lang>(initialLang());

function applyDocumentLang(lang: Lang): void {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }
}
applyDocumentLang(langStore.get());

/** Switches the interface language and remembers the choice on the device. */
export function setLang(lang: Lang): void {
  langStore.set(lang);
  writeStored('lang', lang);
  applyDocumentLang(lang);
}

export type Params = Record<string, string | number>;

/** The text of `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = MESSAGES[key][lang];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** The current language and a translator bound to it; re-renders on a language switch. */
export function useI18n(): { lang: Lang; t: (key: MessageKey, params?: Params) => string } {
  const lang = useStore(langStore);
  return { lang, t: (key, params) => translate(lang, key, params) };
}

/** Sets the native title bar to a translated title (the page configs hold the Chinese default). */
export function useTitle(key: MessageKey): void {
  const { t } = useI18n();
  const title = t(key);
  useEffect(() => {
    Taro.setNavigationBarTitle({ title }).catch(() => undefined);
    if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') document.title = title;
  }, [title]);
}
