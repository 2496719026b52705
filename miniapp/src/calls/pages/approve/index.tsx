import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { REQUEST_CODE_PROBLEMS } from '@eid/shared';
import { useState } from 'react';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { clock } from '../../../lib/clock';
import { formatDateTime } from '../../../lib/format';
import { useAction } from '../../../lib/hooks';
import { replace, ROUTES } from '../../../lib/nav';
import { useStore } from '../../../lib/store';
import { approveCall, declineCall } from '../../../services/document-calls';
import { RequestedDocuments } from '../../components/RequestedDocuments';
import { Requester } from '../../components/Requester';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { durationText } from '../../lib/duration';
import { describeError } from '../../../lib/errors';
import { codeOf } from '../../lib/errors';
import { scannedCode } from '../../lib/handoff';
import { serviceName } from '../../lib/labels';
import { keepAnswer } from '../../lib/receipts';
import { useRequestCheck, type Refusal } from '../../lib/useRequestCheck';
import './index.scss';

/**
 * The approval page: who is asking, verified against the request's signature (a forged or altered code is
 * shown as such, with no way to approve it), then the service, the purpose, exactly which documents and
 * fields, and how long the window may read them. Approve (optional documents can be left out) or decline.
 */
export default function Approve() {
  const { t, lang } = useI18n();
  useTitle('approve.title');
  const handed = useStore(scannedCode);
  const param = useRouter().params?.code;
  const [code] = useState(() => handed ?? (param ? decodeURIComponent(param) : null));
  const { phase, retry, setPhase } = useRequestCheck(code);
  const [omitted, setOmitted] = useState<string[]>([]);
  const [confirmDecline, setConfirmDecline] = useState(false);
  const [declined, setDeclined] = useState(false);

  const approve = useAction(async () => {
    if (phase.kind !== 'verified') return;
    try {
      const answer = await approveCall(phase.call.id, phase.digest, omitted);
      keepAnswer(answer);
      scannedCode.set(null);
      replace(ROUTES.callReceipt, { id: phase.call.id });
    } catch (err) {
      if (codeOf(err) === 'DOCUMENT_REQUEST_EXPIRED') setPhase({ kind: 'expired' });
      throw err;
    }
  });
  const decline = useAction(async () => {
    if (phase.kind !== 'verified') return;
    const answer = await declineCall(phase.call.id);
    keepAnswer(answer);
    scannedCode.set(null);
    setDeclined(true);
  });

  const scanAgain = (
    <Btn tone="secondary" label={t('approve.scanAgain')} onClick={() => replace(ROUTES.calls)} />
  );
  const title = t('approve.title');

  if (phase.kind === 'none') {
    return (
      <Screen title={title}>
        <Notice tone="info">{t('approve.noCode')}</Notice>
        {scanAgain}
      </Screen>
    );
  }
  if (phase.kind === 'checking') {
    return (
      <Screen title={title}>
        <Loading label={t('approve.checking')} />
      </Screen>
    );
  }
  if (phase.kind === 'forged') {
    return (
      <Screen title={title}>
        <View className="forged" data-testid="request-forged" role="alert">
          <Text className="forged__title">{t('approve.forged')}</Text>
          <Text className="forged__reason">{refusalText(phase.reason, t, lang)}</Text>
          <Text>{t('approve.forgedHint')}</Text>
        </View>
        {scanAgain}
      </Screen>
    );
  }
  if (phase.kind === 'expired' || phase.kind === 'not_found') {
    return (
      <Screen title={title}>
        <Notice tone="warn">{t(phase.kind === 'expired' ? 'approve.expired' : 'approve.notFound')}</Notice>
        {scanAgain}
      </Screen>
    );
  }
  if (phase.kind === 'failed') {
    return (
      <Screen title={title}>
        <Notice tone="error">{describeError(phase.error, t, lang)}</Notice>
        <Btn tone="secondary" label={t('common.retry')} onClick={() => void retry()} />
      </Screen>
    );
  }

  const { request, call, kid } = phase;
  const pending = call.state === 'pending' && !declined;
  const busy = approve.busy || decline.busy;
  return (
    <Screen title={title} className="approve">
      <Requester request={request} kid={kid} />
      <Panel title={t('approve.what')}>
        <Row label={t('approve.service')} value={serviceName(request.service, lang, call.service)} />
        <Row label={t('approve.purpose')} value={request.purpose} />
        <Row label={t('approve.basis')} value={call.service.basis} />
      </Panel>
      <RequestedDocuments
        request={request}
        items={call.documents}
        omitted={omitted}
        disabled={!pending || busy}
        onToggle={(type, include) =>
          setOmitted((o) => (include ? o.filter((x) => x !== type) : [...o.filter((x) => x !== type), type]))
        }
      />
      <Panel>
        <Text data-testid="access-expiry">
          {t('approve.access', {
            duration: durationText(request.accessForMs, t),
            time: formatDateTime(clock.now() + request.accessForMs, lang),
          })}
        </Text>
        {pending && (
          <Text className="muted">
            {t('approve.answerBy', { time: formatDateTime(request.answerBy, lang) })}
          </Text>
        )}
      </Panel>
      {declined && <Notice tone="info">{t('approve.declined')}</Notice>}
      {!pending && !declined && (
        <>
          <Notice tone="info">
            {t('approve.answered', { state: t(`calls.state.${call.state}` as MessageKey) })}
          </Notice>
          {call.state !== 'declined' && call.state !== 'expired' && (
            <Btn
              label={t('approve.seeReceipt')}
              onClick={() => replace(ROUTES.callReceipt, { id: call.id })}
            />
          )}
        </>
      )}
      {pending && (
        <View className="actions">
          {approve.busy && <Loading label={t('approve.pulling')} />}
          {approve.error !== undefined && (
            <Notice tone="error">
              {describeError(approve.error, t, lang)}
              {codeOf(approve.error) === 'LICENCE_SYSTEM_UNAVAILABLE' ? ` ${t('approve.stillOpen')}` : ''}
            </Notice>
          )}
          {decline.error !== undefined && (
            <Notice tone="error">{describeError(decline.error, t, lang)}</Notice>
          )}
          {confirmDecline ? (
            <Panel className="approve__confirm">
              <Text>{t('approve.declineConfirm')}</Text>
              <Btn
                tone="danger"
                label={t('approve.declineYes')}
                busy={decline.busy}
                onClick={() => void decline.run()}
              />
              <Btn
                tone="secondary"
                label={t('approve.keep')}
                disabled={busy}
                onClick={() => setConfirmDecline(false)}
              />
            </Panel>
          ) : (
            <>
              <Btn
                label={t('approve.approve')}
                busy={approve.busy}
                disabled={decline.busy}
                onClick={() => void approve.run()}
              />
              <Btn
                tone="danger"
                label={t('approve.decline')}
                disabled={busy}
                onClick={() => setConfirmDecline(true)}
              />
            </>
          )}
        </View>
      )}
    </Screen>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

/** Why the code is not genuine, in words: the shared sentences for the signature checks, ours for the BFF's. */
function refusalText(reason: Refusal, t: Translate, lang: 'zh' | 'en'): string {
  if (reason in REQUEST_CODE_PROBLEMS)
    return REQUEST_CODE_PROBLEMS[reason as keyof typeof REQUEST_CODE_PROBLEMS][lang];
  if (reason === 'unknown_request' || reason === 'not_as_recorded') return t(`approve.reason.${reason}`);
  return t('error.DOCUMENT_REQUEST_INVALID');
}
