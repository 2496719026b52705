import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { WalletDocument } from '@eid/shared';
import { useEffect, useRef, useState } from 'react';
import { QrCode } from '../../components/QrCode';
import { Btn, Loading, Notice } from '../../components/ui';
import { clock } from '../../lib/clock';
import { useI18n } from '../i18n';
import { bindingFor, codePurposes, makeDocumentCode } from '../lib/doc-code';
import { describeError } from '../../lib/errors';
import { documentFields } from '../lib/fields';
import './DocumentCode.scss';

/** A new code this often; each is accepted for 60 s (docs/formats/licence-codes.md), like the bright card. */
export const ROTATE_MS = 30_000;

const isH5 = process.env.TARO_ENV === 'h5';

/**
 * The document shown as its own rotating signed code: the resident picks what it is for (the purposes and
 * services the type lets read it) and sees exactly which fields the code tells; the code is made on the
 * device, bound to it by the BFF once, and renewed every 30 seconds.
 */
export function DocumentCode({ doc }: { doc: WalletDocument }) {
  const { t, lang } = useI18n();
  const purposes = codePurposes(doc.type);
  const [purpose, setPurpose] = useState<string | null>(null);
  const [binding, setBinding] = useState<{ binding: string } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [code, setCode] = useState<{ text: string; madeAt: number } | null>(null);
  const [now, setNow] = useState(clock.now);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  useEffect(() => {
    if (!purpose) return;
    setError(undefined);
    setCode(null);
    bindingFor(doc).then(
      (b) => live.current && setBinding(b),
      (err: unknown) => live.current && setError(err),
    );
  }, [purpose, doc.id, doc.credential]);

  useEffect(() => {
    if (!purpose || !binding) return;
    const make = () => {
      const at = clock.now();
      try {
        setCode({ text: makeDocumentCode(doc, binding, purpose, at), madeAt: at });
      } catch (err) {
        setError(err);
      }
    };
    make();
    const id = setInterval(() => {
      const at = clock.now();
      setNow(at);
      setCode((c) => {
        if (c && at - c.madeAt < ROTATE_MS) return c;
        try {
          return { text: makeDocumentCode(doc, binding, purpose, at), madeAt: at };
        } catch {
          return c;
        }
      });
    }, 1000);
    return () => clearInterval(id);
  }, [purpose, binding, doc]);

  if (purposes.length === 0) return null;
  const chosen = purposes.find((p) => p.code === purpose);
  const fieldsOf = (keys: readonly string[]) => {
    const all = documentFields(doc, lang, {
      longTerm: t('licences.longTerm'),
      yes: t('licences.yes'),
      no: t('licences.no'),
    });
    return keys.flatMap((k) => all.filter((f) => f.key === k));
  };
  const size =
    process.env.TARO_ENV === 'weapp' ? Math.min(320, Taro.getSystemInfoSync().windowWidth - 64) : 320;
  const secondsLeft = code
    ? Math.min(ROTATE_MS / 1000, Math.max(1, Math.ceil((code.madeAt + ROTATE_MS - now) / 1000)))
    : 0;

  return (
    <View className="doccode" data-testid="document-code">
      <Text className="doccode__lead">{t('code.choose')}</Text>
      <View className="chips" role="list">
        {purposes.map((p) =>
          isH5 ? (
            <button
              key={p.code}
              type="button"
              className={`chip${p.code === purpose ? ' chip--on' : ''}`}
              aria-pressed={p.code === purpose}
              onClick={() => setPurpose(p.code)}
            >
              {p[lang]}
            </button>
          ) : (
            <Button
              key={p.code}
              className={`chip${p.code === purpose ? ' chip--on' : ''}`}
              onClick={() => setPurpose(p.code)}
            >
              {p[lang]}
            </Button>
          ),
        )}
      </View>
      {chosen && (
        <View className="doccode__tells" data-testid="code-discloses">
          <Text className="doccode__tells-title">{t('code.tells', { purpose: chosen[lang] })}</Text>
          {fieldsOf(chosen.fields).map((f) => (
            <Text key={f.key} className="doccode__field">
              {f.label}：{f.value}
            </Text>
          ))}
        </View>
      )}
      {error !== undefined && <Notice tone="error">{describeError(error, t, lang)}</Notice>}
      {chosen && !code && error === undefined && <Loading label={t('code.preparing')} />}
      {chosen && code && (
        <View className="doccode__qr">
          <QrCode text={code.text} label={t('code.qrLabel')} size={size} canvasId="document-qr" />
          <Text className="muted">{t('code.refreshIn', { s: secondsLeft })}</Text>
          <Text className="muted">{t('code.offline')}</Text>
        </View>
      )}
      {chosen && <Btn tone="link" label={t('code.hide')} onClick={() => setPurpose(null)} />}
    </View>
  );
}
