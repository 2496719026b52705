import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { parseConsentCode, type ResidentConsentView } from '@eid/shared';
import { useCallback, useEffect, useState } from 'react';
import { Btn, Field, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { asAppError, describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useAction } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { useSecondsLeft } from '../../../lib/useSecondsLeft';
import { codeParam } from '../../../lib/request-code';
import { approveConsent, declineConsent, getConsent, openConsent } from '../../../services/consents';
import { Asker, type CheckPhase } from '../../components/Asker';
import { Items } from '../../components/Items';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { checkRegistration } from '../../lib/registration';
import './index.scss';

type Phase =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'opening' }
  | { kind: 'expired' }
  | { kind: 'not_yours' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'shown'; view: ResidentConsentView };

// The stable code of a failure as text, so codes a newer BFF adds still compare.
const codeOf = (err: unknown): string => asAppError(err).code;

/** What a failure to open means for the page: a sentence of its own, or the generic error with a retry. */
function phaseOfError(error: unknown): Phase {
  switch (codeOf(error)) {
    case 'CONSENT_REQUEST_INVALID':
    case 'NOT_FOUND':
      return { kind: 'invalid' };
    case 'CONSENT_REQUEST_EXPIRED':
      return { kind: 'expired' };
    case 'CONSENT_WRONG_STATE':
      return { kind: 'not_yours' };
    default:
      return { kind: 'failed', error };
  }
}

/**
 * A relying party's consent request, opened from its QR code or link (`EIDC1:` code): who asks (name,
 * credit code, category, and its signed registration checked on this phone against the pinned trust root),
 * why, exactly which fields, how long they are kept, and the time left to answer. Approve only once the
 * registration checks out; decline with confirmation. Expired, already answered and invalid codes each
 * have their own sentence.
 */
export default function Open() {
  const { t, lang } = useI18n();
  useTitle('consents.title');
  const param = codeParam(useRouter().params?.code);
  const [code, setCode] = useState(param);
  const [typed, setTyped] = useState('');
  const [typedEmpty, setTypedEmpty] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'none' });
  const [check, setCheck] = useState<CheckPhase>({ kind: 'checking' });
  const [confirmDecline, setConfirmDecline] = useState(false);
  const [answeredHere, setAnsweredHere] = useState(false);

  const open = useCallback(async (text: string) => {
    if (!text) return setPhase({ kind: 'none' });
    // A code that is not one never leaves the phone.
    if (!parseConsentCode(text)) return setPhase({ kind: 'invalid' });
    setPhase({ kind: 'opening' });
    try {
      setPhase({ kind: 'shown', view: await openConsent(text) });
    } catch (error) {
      setPhase(phaseOfError(error));
    }
  }, []);
  useEffect(() => void open(code), [code]);

  const view = phase.kind === 'shown' ? phase.view : undefined;
  const runCheck = useCallback(async (v: ResidentConsentView) => {
    setCheck({ kind: 'checking' });
    try {
      setCheck({ kind: 'done', check: await checkRegistration(v) });
    } catch {
      setCheck({ kind: 'unavailable' });
    }
  }, []);
  const registration = view?.party.registration;
  useEffect(() => {
    if (view) void runCheck(view);
  }, [registration?.signature, view?.id]);

  const secondsLeft = useSecondsLeft(view?.state === 'pending' ? view.expiresAt : undefined);

  // A refusal at answer time: expired meanwhile, or answered elsewhere (then show it as it stands).
  const afterRefusal = async (id: string, error: unknown) => {
    const c = codeOf(error);
    if (c === 'CONSENT_REQUEST_EXPIRED') setPhase({ kind: 'expired' });
    else if (c === 'CONSENT_WRONG_STATE') setPhase({ kind: 'shown', view: await getConsent(id) });
    else throw error;
  };
  const approve = useAction(async () => {
    if (!view) return;
    try {
      setPhase({ kind: 'shown', view: await approveConsent(view.id) });
      setAnsweredHere(true);
    } catch (error) {
      await afterRefusal(view.id, error);
    }
  });
  const decline = useAction(async () => {
    if (!view) return;
    try {
      setPhase({ kind: 'shown', view: await declineConsent(view.id) });
      setAnsweredHere(true);
      setConfirmDecline(false);
    } catch (error) {
      await afterRefusal(view.id, error);
    }
  });

  const openTyped = () => {
    const text = typed.trim();
    if (!text) return setTypedEmpty(true);
    if (text === code) void open(text);
    else setCode(text);
  };
  const entry = (
    <Panel>
      <Field
        id="consent-code"
        label={t('consents.paste.label')}
        hint={t('consents.paste.hint')}
        value={typed}
        onChange={(v) => {
          setTyped(v);
          setTypedEmpty(false);
        }}
        onSubmit={openTyped}
        error={typedEmpty ? t('consents.paste.empty') : undefined}
      />
      <Btn tone="secondary" label={t('consents.paste.open')} onClick={openTyped} />
    </Panel>
  );
  const title = t('consents.title');

  if (phase.kind !== 'shown') {
    return (
      <Screen title={title} className="consent-open">
        {phase.kind === 'opening' && <Loading label={t('consents.opening')} />}
        {phase.kind === 'none' && <Text className="lead">{t('consents.noCode')}</Text>}
        {phase.kind === 'invalid' && (
          <View data-testid="consent-invalid">
            <Notice tone="warn">{t('consents.invalid')}</Notice>
          </View>
        )}
        {phase.kind === 'expired' && (
          <View data-testid="consent-expired">
            <Notice tone="warn">{t('consents.expired')}</Notice>
          </View>
        )}
        {phase.kind === 'not_yours' && (
          <View data-testid="consent-not-yours">
            <Notice tone="warn">{t('consents.notYours')}</Notice>
          </View>
        )}
        {phase.kind === 'failed' && (
          <>
            <Notice tone="error">{describeError(phase.error, t, lang)}</Notice>
            <Btn tone="secondary" label={t('common.retry')} onClick={() => void open(code)} />
          </>
        )}
        {phase.kind !== 'opening' && phase.kind !== 'failed' && entry}
      </Screen>
    );
  }

  const v = phase.view;
  const name = v.party.name;
  const lapsed = v.state === 'pending' && secondsLeft === 0;
  const pending = v.state === 'pending' && !lapsed;
  const verified = check.kind === 'done' && check.check.ok;
  const busy = approve.busy || decline.busy;
  const minutes = Math.floor(secondsLeft / 60);
  const left =
    minutes > 0
      ? t('consents.left.minutes', { m: minutes, s: String(secondsLeft % 60).padStart(2, '0') })
      : t('consents.left.seconds', { s: secondsLeft });
  const actionError = approve.error ?? decline.error;

  return (
    <Screen title={title} className="consent-open">
      {pending && <Text className="lead">{t('consents.lead')}</Text>}
      <Asker view={v} phase={check} onRetry={() => void runCheck(v)} />
      <Panel title={t('consents.why')}>
        <Row label={t('consents.purpose')} value={lang === 'zh' ? v.purpose.zh : v.purpose.en} />
        <Row label={t('consents.reason')} value={<Text data-testid="consent-reason">{v.reason}</Text>} />
      </Panel>
      <Panel title={t('consents.fields')}>
        <Items items={v.items} testId="consent-items" />
      </Panel>
      <Panel>
        <Row label={t('consents.retention')} value={t('consents.days', { n: v.retentionDays })} />
        <Text className="muted" data-testid="consent-retention">
          {t('consents.retentionNote', { n: v.retentionDays })}
        </Text>
        {pending && (
          <Text className="consent-open__countdown" data-testid="consent-countdown">
            {t('consents.countdown', { left, time: formatDateTime(v.expiresAt, lang) })}
          </Text>
        )}
      </Panel>
      {(lapsed || v.state === 'expired') && (
        <View data-testid="consent-expired">
          <Notice tone="warn">{t('consents.expired')}</Notice>
        </View>
      )}
      {answeredHere && v.state === 'approved' && (
        <View data-testid="consent-approved">
          <Notice tone="success">{t('consents.approved', { name })}</Notice>
        </View>
      )}
      {answeredHere && v.state === 'declined' && (
        <View data-testid="consent-declined">
          <Notice tone="info">{t('consents.declined', { name })}</Notice>
        </View>
      )}
      {!answeredHere && v.state !== 'pending' && v.state !== 'expired' && (
        <View data-testid="consent-answered">
          <Notice tone="info">
            {t('consents.answered', { state: t(`consents.state.${v.state}` as MessageKey) })}
          </Notice>
        </View>
      )}
      {actionError !== undefined && <Notice tone="error">{describeError(actionError, t, lang)}</Notice>}
      {pending &&
        (confirmDecline ? (
          <Panel className="consent-open__confirm">
            <Text>{t('consents.declineConfirm')}</Text>
            <Btn
              tone="danger"
              label={t('consents.declineYes')}
              busy={decline.busy}
              disabled={approve.busy}
              onClick={() => void decline.run()}
            />
            <Btn tone="secondary" label={t('consents.keep')} onClick={() => setConfirmDecline(false)} />
          </Panel>
        ) : (
          <View className="consent-open__actions">
            {verified && (
              <Btn
                label={t('consents.approve')}
                busy={approve.busy}
                disabled={decline.busy}
                onClick={() => void approve.run()}
              />
            )}
            <Btn
              tone="secondary"
              label={t('consents.decline')}
              disabled={busy}
              onClick={() => setConfirmDecline(true)}
            />
          </View>
        ))}
      {(v.state === 'approved' || v.state === 'withdrawn') && (
        <Btn tone="secondary" label={t('consents.toParties')} onClick={() => go(ROUTES.consentParties)} />
      )}
    </Screen>
  );
}
