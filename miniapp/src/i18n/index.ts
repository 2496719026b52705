import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { createStore, useStore } from '../lib/store';
import { readStored, writeStored } from '../lib/storage';
import { MESSAGES, type MessageKey, type Messages } from './messages';

export type Lang = 'zh' | 'en';
export type { MessageKey, Messages };

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

// The main package's sentences, and each subpackage's once one of its modules has loaded (withMessages).
const catalogue: Messages = { ...MESSAGES };

/** The text of `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  // The key itself rather than a crash if a page asks for a sentence whose subpackage has not loaded.
  const text = catalogue[key]?.[lang] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

export interface I18n<K extends string = MessageKey> {
  lang: Lang;
  t: (key: K, params?: Params) => string;
}

/** The current language and a translator bound to it; re-renders on a language switch. */
export function useI18n(): I18n {
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

/**
 * Adds a subpackage's sentences to the lookup and returns `useI18n` and `useTitle` typed for them and
 * the main package's. Each subpackage's `i18n.ts` calls it once; its pages take the hooks from there,
 * so the sentences load with the subpackage and the call cannot be shaken out of the build.
 */
export function withMessages<M extends Messages>(messages: M) {
  Object.assign(catalogue, messages);
  type Key = MessageKey | (keyof M & string);
  return {
    useI18n: useI18n as () => I18n<Key>,
    useTitle: useTitle as (key: Key) => void,
  };
}
