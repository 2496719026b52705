import {
  base64urlDecode,
  decodeDocumentSecrets,
  documentType,
  type DocValue,
  type WalletDocument,
} from '@eid/shared';
import type { Lang } from '../../i18n';
import { faceValueText, type FaceCell, type FaceWords } from './face';

/**
 * Every field of a document the holder can read, in the type's slot order: from the document secrets the
 * BFF handed the device (all values), else from the face values alone. Digests (bytes) are left out.
 */
export function documentFields(doc: WalletDocument, lang: Lang, words: FaceWords): FaceCell[] {
  const t = documentType(doc.type);
  let values: Readonly<Record<string, DocValue>> = doc.face;
  if (t) {
    try {
      values = decodeDocumentSecrets(t, base64urlDecode(doc.secrets)).values;
    } catch {
      // A document whose secrets do not decode still shows what its face carries.
    }
  }
  const keys = t ? t.fields.map((f) => f.key) : Object.keys(values);
  const label = (key: string) => t?.fields.find((f) => f.key === key)?.[lang] ?? key;
  return keys.flatMap((key) => {
    const value = faceValueText(key, values[key], lang, words);
    return value === undefined ? [] : [{ key, label: label(key), value }];
  });
}
