import {
  documentField,
  documentType,
  findService,
  type DocumentCallItem,
  type DocumentCallServiceInfo,
} from '@eid/shared';
import type { Lang } from '../../i18n';

/** A document type's name: this build's registry, else the BFF's label, else the registry name. */
export function docTypeName(type: string, lang: Lang, item?: Pick<DocumentCallItem, 'zh' | 'en'>): string {
  const t = documentType(type);
  if (t) return t[lang];
  return item ? item[lang] : type;
}

/** The names of a document's fields, joined as a sentence lists them. */
export function fieldNames(
  type: string,
  fields: readonly string[],
  lang: Lang,
  item?: Pick<DocumentCallItem, 'fields'>,
): string {
  const t = documentType(type);
  return fields
    .map((key) => {
      const own = t ? documentField(t, key)?.spec[lang] : undefined;
      return own ?? item?.fields.find((f) => f.key === key)?.[lang] ?? key;
    })
    .join(lang === 'zh' ? '、' : ', ');
}

/** A service's name: the catalogue of this build, else the BFF's label, else its code. */
export function serviceName(code: string, lang: Lang, info?: DocumentCallServiceInfo): string {
  const s = findService(code);
  if (s) return s[lang];
  return info ? info[lang] : code;
}
