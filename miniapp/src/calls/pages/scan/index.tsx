import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { CONSENT_CODE_PREFIX, SIGNIN_CODE_PREFIX, type DocumentCallList } from '@eid/shared';
import { useState } from 'react';
import { Btn, Field, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { formatDateTime } from '../../../lib/format';
import { go, ROUTES } from '../../../lib/nav';
import { requestCodeIn } from '../../../lib/request-code';
import { listMyCalls, listPendingCalls } from '../../../services/document-calls';
import { CodeScanner } from '../../../components/CodeScanner';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../../lib/errors';
import { scannedCode } from '../../lib/handoff';
import { serviceName } from '../../lib/labels';
import './index.scss';

type Item = DocumentCallList['items'][number];

/**
 * Where a document call starts for the resident: scan the window's request code (or paste it), or pick a
 * request addressed to them; below, their earlier calls with the receipts.
 */
export default function Scan() {
  const { t, lang } = useI18n();
  useTitle('calls.title');
  const [pasted, setPasted] = useState('');
  const [pasteEmpty, setPasteEmpty] = useState(false);
  const [pending, setPending] = useState<Item[] | undefined>();
  const [history, setHistory] = useState<Item[] | undefined>();
  const [error, setError] = useState<unknown>(undefined);

  const load = async () => {
    setError(undefined);
    try {
      const [p, mine] = await Promise.all([listPendingCalls(), listMyCalls()]);
      setPending(p.items);
      setHistory(mine.items.filter((i) => i.state !== 'pending'));
    } catch (err) {
      setError(err);
    }
  };
  useDidShow(() => void load());

  const review = (code: string) => {
    const text = code.trim();
    // A relying party's consent request (EIDC1:) or sign-in (EIDS1:), or its link, is scanned here too:
    // each opens in its own subpackage.
    const consent = requestCodeIn(text, CONSENT_CODE_PREFIX);
    if (consent) return go(ROUTES.consentOpen, { code: consent });
    const signIn = requestCodeIn(text, SIGNIN_CODE_PREFIX);
    if (signIn) return go(ROUTES.signinApprove, { code: signIn });
    scannedCode.set(text);
    go(ROUTES.callApprove);
  };
  const openPasted = () => {
    if (!pasted.trim()) return setPasteEmpty(true);
    review(pasted);
  };

  return (
    <Screen title={t('calls.title')} className="calls">
      <Text className="lead">{t('calls.lead')}</Text>
      <Panel title={t('calls.scanTitle')}>
        <CodeScanner onCode={review} t={t} prefix="calls.camera" testId="code-scanner" tone="primary" />
        <Field
          id="request-code"
          label={t('calls.paste.label')}
          hint={t('calls.paste.hint')}
          value={pasted}
          multiline
          onChange={(v) => {
            setPasted(v);
            setPasteEmpty(false);
          }}
          onSubmit={openPasted}
          error={pasteEmpty ? t('calls.paste.empty') : undefined}
        />
        <Btn tone="secondary" label={t('calls.paste.open')} onClick={openPasted} />
      </Panel>
      {error !== undefined && (
        <>
          <Notice tone="error">{describeError(error, t, lang)}</Notice>
          <Btn tone="secondary" label={t('common.retry')} onClick={() => void load()} />
        </>
      )}
      <Panel title={t('calls.pending.title')}>
        {pending === undefined && error === undefined && <Loading />}
        {pending?.length === 0 && <Text className="muted">{t('calls.pending.none')}</Text>}
        {pending?.map((item) => (
          <View key={item.id} className="calls__item" data-testid="pending-call">
            <Text className="calls__who">
              {item.window.organisation} · {item.window.name}
            </Text>
            <Text>{serviceName(item.service.code, lang, item.service)}</Text>
            <Text className="muted">
              {t('calls.pending.answerBy', { time: formatDateTime(item.answerBy, lang) })}
            </Text>
            <Btn label={t('calls.pending.open')} onClick={() => review(item.requestCode)} />
          </View>
        ))}
      </Panel>
      {history && history.length > 0 && (
        <Panel title={t('calls.history.title')}>
          {history.map((item) => (
            <View key={item.id} className="calls__item" data-testid="past-call">
              <View className="calls__head">
                <Text className="calls__who">
                  {item.window.organisation} · {item.window.name}
                </Text>
                <Text className={`calls__state calls__state--${item.state}`}>
                  {t(`calls.state.${item.state}` as MessageKey)}
                </Text>
              </View>
              <Text>{serviceName(item.service.code, lang, item.service)}</Text>
              {item.approvedAt !== undefined && (
                <Btn
                  tone="link"
                  label={t('calls.history.open')}
                  onClick={() => go(ROUTES.callReceipt, { id: item.id })}
                />
              )}
            </View>
          ))}
        </Panel>
      )}
    </Screen>
  );
}
