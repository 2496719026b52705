import { Text, View } from '@tarojs/components';
import { documentType, errorCodeOf, type DeliveredDocument, type DeliveredFieldValue } from '@eid/shared';
import { useEffect, useRef, useState } from 'react';
import { Btn, Row } from '../../components/ui';
import type { Lang } from '../../i18n';
import { formatCardDate } from '../../lib/format';
import { useAction } from '../../lib/hooks';
import { getAnnotatedCopy, openAnnotatedCopy } from '../../services/window';
import { useI18n, type MessageKey } from '../i18n';
import { WindowError } from './WindowError';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A delivered value as the document prints it; undefined for bytes (digests mean nothing at a window). */
function valueText(
  kind: string | undefined,
  value: DeliveredFieldValue,
  t: Translate,
  lang: Lang,
): string | undefined {
  if (value === null) return t('window.doc.absent');
  if (kind === 'bytes') return undefined;
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'number') return String(value);
  return formatCardDate(value, lang);
}

/**
 * H5: fetches the annotated copy with the staff token and offers it as a blob link (clicked once at once,
 * so the browser saves it; the link stays for a second try). weapp: WeChat downloads and opens it.
 */
function useAnnotatedCopy(callId: string, doc: DeliveredDocument, onAccessEnded: () => void) {
  const [link, setLink] = useState<{ url: string; name: string } | null>(null);
  const anchor = useRef<HTMLAnchorElement>(null);
  const clicked = useRef<string | null>(null);

  useEffect(() => {
    if (!link || clicked.current === link.url) return;
    clicked.current = link.url;
    anchor.current?.click();
  }, [link]);

  useEffect(
    () => () => {
      if (link) URL.revokeObjectURL(link.url);
    },
    [link],
  );

  const download = useAction(async () => {
    try {
      if (process.env.TARO_ENV !== 'h5') {
        await openAnnotatedCopy(callId, doc.id);
        return;
      }
      const { bytes } = await getAnnotatedCopy(callId, doc.id);
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      setLink({ url, name: `${doc.type}-${doc.id}.pdf` });
    } catch (err) {
      if (errorCodeOf(err) === 'DOCUMENT_ACCESS_EXPIRED') onAccessEnded();
      throw err;
    }
  });
  return { link, anchor, download };
}

/**
 * One document the resident approved, as the window reads it: only `fields` (the request's fields of its
 * type, which are the service's) in the type's order, its identifier, issuer and validity, and its
 * standing when it was pulled: a revoked, suspended or expired document says so in red, never as valid.
 */
export function WindowDocument({
  callId,
  doc,
  fields,
  onAccessEnded,
}: {
  callId: string;
  doc: DeliveredDocument;
  fields: readonly string[];
  onAccessEnded: () => void;
}) {
  const { t, lang } = useI18n();
  const type = documentType(doc.type);
  const spec = (key: string) => type?.fields.find((f) => f.key === key);
  const order = type ? type.fields.map((f) => f.key) : Object.keys(doc.fields);
  const shown = order.filter((key) => fields.includes(key) && key in doc.fields);
  const bad = doc.status !== 'valid';
  const { link, anchor, download } = useAnnotatedCopy(callId, doc, onAccessEnded);

  return (
    <View
      className={`window-delivered window-delivered--${doc.status}`}
      data-testid={`window-delivered-${doc.type}`}
      data-status={doc.status}
    >
      <View className="window-delivered__head">
        <Text className="window-delivered__name">{doc[lang]}</Text>
        <Text className={`window-delivered__status window-delivered__status--${doc.status}`}>
          {t(`window.status.${doc.status}` as MessageKey)}
        </Text>
      </View>
      {bad && (
        <View className="window-delivered__warning" role="alert">
          <Text>{t(`window.status.${doc.status}.hint` as MessageKey)}</Text>
        </View>
      )}
      <View className="window-delivered__fields">
        {shown.map((key) => {
          const text = valueText(spec(key)?.kind, doc.fields[key]!, t, lang);
          return text === undefined ? null : (
            <View key={key} data-field={key}>
              <Row label={spec(key)?.[lang] ?? key} value={text} />
            </View>
          );
        })}
        <Row
          label={t('window.doc.validity')}
          value={`${formatCardDate(doc.validFrom, lang)} – ${
            doc.validUntil ? formatCardDate(doc.validUntil, lang) : t('window.doc.longTerm')
          }`}
        />
        <Row label={t('window.doc.identifier')} value={doc.identifier} />
        <Row label={t('window.doc.issuer')} value={doc.issuer} />
      </View>
      {download.error !== undefined && <WindowError error={download.error} />}
      <Btn
        tone="secondary"
        label={download.busy ? t('window.pdf.busy') : t('window.pdf')}
        onClick={() => void download.run()}
        busy={download.busy}
      />
      {process.env.TARO_ENV === 'h5' && link && (
        <a
          ref={anchor}
          className="window-delivered__save"
          href={link.url}
          download={link.name}
          data-testid={`window-pdf-${doc.id}`}
        >
          {t('window.pdf.save', { name: link.name })}
        </a>
      )}
    </View>
  );
}
