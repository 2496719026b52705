import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { parseSignInCode, SIGNIN_CODE_PREFIX, type SignInView } from '@eid/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { CodeScanner } from '../../../components/CodeScanner';
import { Alarm } from '../../../components/RegistrationVerdict';
import { FaceCheck } from '../../../components/FaceCheck';
import { PasscodeField } from '../../../components/PasscodeField';
import { Btn, Field, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { clock } from '../../../lib/clock';
import { asAppError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useAction } from '../../../lib/hooks';
import { fieldLabel, purposeLabel } from '../../../lib/labels';
import { go, ROUTES } from '../../../lib/nav';
import { useSecondsLeft } from '../../../lib/useSecondsLeft';
import { codeParam, requestCodeIn } from '../../../lib/request-code';
import { completeReauth, startReauth } from '../../../services/enrollment';
import { approveSignIn, declineSignIn, getSignIn, openSignIn } from '../../../services/signins';
import { ControlCodes } from '../../components/ControlCodes';
import { Party, REGISTRATION_PROBLEMS, type CheckPhase } from '../../components/Party';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { approvalBody, cardOnThisPhone } from '../../lib/approval';
import { checkSignIn } from '../../lib/registration';
import { describeSignInError } from '../../lib/words';
import './index.scss';

type Phase =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'opening' }
  /** Opening or answering was refused for good (expired, someone else's, not found): a sentence, no retry. */
  | { kind: 'refused'; error: unknown }
  | { kind: 'failed'; error: unknown }
  /** A wrong control code was tapped: the BFF cancelled the sign-in. */
  | { kind: 'stopped' }
  | { kind: 'shown'; view: SignInView };

const codeOf = (err: unknown): string => asAppError(err).code;

// Refusals after which nothing on this page can help: the resident starts again at the website.
const FINAL = new Set(['SIGNIN_CODE_INVALID', 'SIGNIN_EXPIRED', 'SIGNIN_WRONG_STATE', 'NOT_FOUND']);

/** The sign-in request code in scanned or pasted text: the code itself, or the same-device link carrying it. */
const codeInText = (text: string): string => requestCodeIn(text, SIGNIN_CODE_PREFIX) ?? text.trim();

/**
 * A party's website asks the resident to sign in (remote sign-in, issue 17), opened from the desktop
 * page's QR code or its same-device link (`EIDS1:` code). Shows who asks (the registration checked on this
 * phone under the pinned trust root), the origin the browser returns to (which must be the registered one),
 * what is shared and the level; then the steps: tap the control code the computer shows, the passcode
 * (level 2 and 3), the face check (level 3); the card's device key signs the approval. Decline at any time.
 */
export default function Approve() {
  const { t, lang } = useI18n();
  useTitle('signin.title');
  const param = codeParam(useRouter().params?.code);
  const fromLink = param !== '';
  const [code, setCode] = useState(param);
  const [typed, setTyped] = useState('');
  const [typedEmpty, setTypedEmpty] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'none' });
  const [check, setCheck] = useState<CheckPhase>({ kind: 'checking' });
  const [chosen, setChosen] = useState<string | undefined>();
  const [passcode, setPasscode] = useState('');
  const [reauthToken, setReauthToken] = useState<string | undefined>();
  const [answeredHere, setAnsweredHere] = useState(false);
  const scanned = useMemo(() => parseSignInCode(code), [code]);

  const open = useCallback(async (text: string) => {
    setChosen(undefined);
    setPasscode('');
    setReauthToken(undefined);
    setAnsweredHere(false);
    if (!text) return setPhase({ kind: 'none' });
    // A code that is not one never leaves the phone.
    if (!parseSignInCode(text)) return setPhase({ kind: 'invalid' });
    setPhase({ kind: 'opening' });
    try {
      setPhase({ kind: 'shown', view: await openSignIn(text) });
    } catch (error) {
      if (codeOf(error) === 'SIGNIN_CODE_INVALID') setPhase({ kind: 'invalid' });
      else setPhase(FINAL.has(codeOf(error)) ? { kind: 'refused', error } : { kind: 'failed', error });
    }
  }, []);
  useEffect(() => void open(code), [code]);

  const view = phase.kind === 'shown' ? phase.view : undefined;
  const runCheck = useCallback(
    async (v: SignInView) => {
      setCheck({ kind: 'checking' });
      try {
        setCheck({ kind: 'done', check: await checkSignIn(v, scanned) });
      } catch {
        setCheck({ kind: 'unavailable' });
      }
    },
    [scanned],
  );
  useEffect(() => {
    if (view) void runCheck(view);
  }, [view?.party.registration.signature, view?.id, view?.returnOrigin]);

  // Back from setting a passcode (or from anywhere else): the sign-in as it stands now.
  useDidShow(() => {
    if (!view || (view.state !== 'opened' && view.state !== 'pending')) return;
    getSignIn(view.id).then(
      (v) => setPhase({ kind: 'shown', view: v }),
      () => undefined,
    );
  });

  // A refreshed view offers its own choices: a tap on one no longer shown does not count.
  const choices = view?.controlCodeChoices;
  useEffect(() => {
    if (chosen !== undefined && !choices?.includes(chosen)) setChosen(undefined);
  }, [choices?.join(), chosen]);

  const secondsLeft = useSecondsLeft(
    view && (view.state === 'opened' || view.state === 'pending') ? view.expiresAt : undefined,
  );

  /** A refusal at answer time: the sign-in ended meanwhile, or it is shown as it now stands. */
  const afterRefusal = async (v: SignInView, error: unknown) => {
    const c = codeOf(error);
    if (c === 'SIGNIN_CONTROL_CODE_MISMATCH') return setPhase({ kind: 'stopped' });
    if (c === 'SIGNIN_EXPIRED' || c === 'NOT_FOUND') return setPhase({ kind: 'refused', error });
    if (c === 'SIGNIN_WRONG_STATE') {
      try {
        return setPhase({ kind: 'shown', view: await getSignIn(v.id) });
      } catch {
        return setPhase({ kind: 'refused', error });
      }
    }
    if (c === 'PASSCODE_WRONG' || c === 'PASSCODE_PAUSED') setPasscode('');
    if (c === 'PASSCODE_NOT_SET') setPhase({ kind: 'shown', view: { ...v, passcodeSet: false } });
    const missing = asAppError(error).details?.missing;
    if (c === 'REAUTH_REQUIRED' || (c === 'SIGNIN_LEVEL_NOT_MET' && missing === 'face'))
      setReauthToken(undefined);
    throw error;
  };

  const approve = useAction(async () => {
    if (!view || !chosen) return;
    try {
      const body = approvalBody(view, chosen, clock.now(), { passcode, reauthToken });
      setPhase({ kind: 'shown', view: await approveSignIn(view.id, body) });
      setAnsweredHere(true);
    } catch (error) {
      await afterRefusal(view, error);
    }
  });
  const decline = useAction(async () => {
    if (!view) return;
    try {
      setPhase({ kind: 'shown', view: await declineSignIn(view.id) });
      setAnsweredHere(true);
    } catch (error) {
      await afterRefusal(view, error);
    }
  });

  const openTyped = () => {
    const text = codeInText(typed);
    if (!text) return setTypedEmpty(true);
    if (text === code) void open(text);
    else setCode(text);
  };
  const onScanned = (text: string) => {
    const found = codeInText(text);
    if (found === code) void open(found);
    else setCode(found);
  };
  const title = t('signin.title');

  if (phase.kind !== 'shown') {
    const name = '';
    return (
      <Screen title={title} className="signin">
        {phase.kind === 'opening' && (
          <View data-testid="signin-opening">
            <Loading label={t('signin.opening')} />
          </View>
        )}
        {phase.kind === 'none' && <Text className="lead">{t('signin.noCode')}</Text>}
        {phase.kind === 'invalid' && (
          <View data-testid="signin-invalid">
            <Notice tone="warn">{t('error.SIGNIN_CODE_INVALID')}</Notice>
          </View>
        )}
        {phase.kind === 'refused' && (
          <View data-testid="signin-refused" data-code={codeOf(phase.error)}>
            <Notice tone="warn">{describeSignInError(phase.error, name, t, lang)}</Notice>
          </View>
        )}
        {phase.kind === 'stopped' && (
          <View data-testid="signin-mismatch">
            <Notice tone="error">{t('error.SIGNIN_CONTROL_CODE_MISMATCH')}</Notice>
          </View>
        )}
        {phase.kind === 'failed' && (
          <View data-testid="signin-error">
            <Notice tone="error">{describeSignInError(phase.error, name, t, lang)}</Notice>
            <Btn
              testId="signin-retry"
              tone="secondary"
              label={t('common.retry')}
              onClick={() => void open(code)}
            />
          </View>
        )}
        {(phase.kind === 'none' || phase.kind === 'invalid') && (
          <Panel>
            <CodeScanner
              onCode={onScanned}
              t={t}
              prefix="signin.camera"
              testId="signin-scanner"
              tone="primary"
            />
            <Field
              id="signin-code"
              label={t('signin.paste.label')}
              hint={t('signin.paste.hint')}
              value={typed}
              onChange={(v) => {
                setTyped(v);
                setTypedEmpty(false);
              }}
              onSubmit={openTyped}
              error={typedEmpty ? t('signin.paste.empty') : undefined}
            />
            <Btn
              testId="signin-code-open"
              tone="secondary"
              label={t('signin.paste.open')}
              onClick={openTyped}
            />
          </Panel>
        )}
      </Screen>
    );
  }

  const v = phase.view;
  const name = v.party.name;
  const live = v.state === 'opened' || v.state === 'pending';
  const lapsed = live && secondsLeft === 0;
  const answerable = live && !lapsed;
  const verdict = check.kind === 'done' ? check.check : undefined;
  const trusted = verdict?.ok === true;
  const onPhone = cardOnThisPhone();
  const needsPasscode = v.level >= 2;
  const needsFace = v.level === 3;
  const ready =
    chosen !== undefined &&
    (!needsPasscode || (v.passcodeSet && passcode.length >= 6)) &&
    (!needsFace || reauthToken !== undefined);
  const busy = approve.busy || decline.busy;
  const actionError = approve.error ?? decline.error;
  const minutes = Math.floor(secondsLeft / 60);
  const left =
    minutes > 0
      ? t('signin.left.minutes', { m: minutes, s: String(secondsLeft % 60).padStart(2, '0') })
      : t('signin.left.seconds', { s: secondsLeft });
  const canGoBack =
    process.env.TARO_ENV === 'h5' && fromLink && typeof window !== 'undefined' && window.history.length > 1;

  return (
    <Screen title={title} className="signin">
      {answerable && <Text className="lead">{t('signin.lead')}</Text>}
      <Party view={v} phase={check} onRetry={() => void runCheck(v)} />

      {verdict && !verdict.ok && !REGISTRATION_PROBLEMS.includes(verdict.problem) && (
        <Alarm
          title={t('signin.warnTitle')}
          reason={t(`signin.problem.${verdict.problem}` as MessageKey, {
            name,
            origin: v.returnOrigin,
            registered: verdict.registeredOrigin ?? '',
          })}
          hint={t('signin.warnHint')}
          testId="signin-warning"
          problem={verdict.problem}
        />
      )}

      <Panel title={t('signin.returnTitle')}>
        <Text>{t('signin.returnTo')}</Text>
        <Text className="signin__origin" data-testid="signin-origin">
          {v.returnOrigin}
        </Text>
        <Text className="muted">{t('signin.returnNote')}</Text>
      </Panel>

      <Panel title={t('signin.sharedTitle')}>
        <Row label={t('signin.purpose')} value={purposeLabel(v.purpose, undefined, lang, t)} />
        <View className="signin__fields" data-testid="signin-fields" role="list">
          {v.fields.length === 0 ? (
            <Text className="muted">{t('signin.sharedNone')}</Text>
          ) : (
            v.fields.map((f) => (
              <View key={f} className="signin__field" role="listitem" data-field={f}>
                <Text>{fieldLabel(f, t)}</Text>
              </View>
            ))
          )}
        </View>
        <Text className="muted">{t('signin.sharedId')}</Text>
      </Panel>

      <Panel title={t('signin.levelTitle')}>
        <Text className="signin__level" data-testid="signin-level" data-level={v.level}>
          {t(`signin.level.${v.level}` as MessageKey)}
        </Text>
        {answerable && (
          <Text className="signin__countdown" data-testid="signin-countdown">
            {t('signin.countdown', { left, time: formatDateTime(v.expiresAt, lang) })}
          </Text>
        )}
      </Panel>

      {(lapsed || v.state === 'expired') && (
        <View data-testid="signin-result" data-state="expired">
          <Notice tone="warn">{t('error.SIGNIN_EXPIRED')}</Notice>
        </View>
      )}
      {(v.state === 'approved' || v.state === 'completed') && (
        <View data-testid="signin-result" data-state={v.state}>
          <Notice tone="success">
            {answeredHere || v.state === 'approved' ? t('signin.approved', { name }) : t('signin.completed')}
          </Notice>
          {fromLink && <Text className="signin__same-device">{t('signin.approvedSameDevice')}</Text>}
          {canGoBack && (
            <Btn
              testId="signin-back-to-browser"
              tone="secondary"
              label={t('signin.backToBrowser')}
              onClick={() => window.history.back()}
            />
          )}
        </View>
      )}
      {v.state === 'declined' && (
        <View data-testid="signin-result" data-state="declined">
          <Notice tone="info">{t('signin.declined', { name })}</Notice>
        </View>
      )}
      {v.state === 'cancelled' && (
        <View data-testid="signin-result" data-state="cancelled">
          <Notice tone="info">{t('signin.cancelled')}</Notice>
        </View>
      )}

      {answerable && trusted && !onPhone && (
        <View data-testid="signin-no-card">
          <Notice tone="warn">{t('signin.noCardHere')}</Notice>
          <Btn
            testId="signin-to-manage"
            tone="secondary"
            label={t('signin.toManage')}
            onClick={() => go(ROUTES.manage)}
          />
        </View>
      )}

      {answerable && trusted && onPhone && (
        <>
          <Panel title={t('signin.step.code')} className="signin__step">
            <Text className="muted">{t('signin.step.codeHint')}</Text>
            <ControlCodes
              choices={v.controlCodeChoices ?? []}
              chosen={chosen}
              onChoose={setChosen}
              disabled={busy}
            />
          </Panel>
          {needsPasscode && (
            <Panel title={t('signin.step.passcode')} className="signin__step">
              {v.passcodeSet ? (
                <>
                  <PasscodeField
                    id="signin-passcode"
                    label={t('signin.passcode')}
                    hint={t('signin.passcodeHint')}
                    value={passcode}
                    autoComplete="current-password"
                    onChange={setPasscode}
                    onSubmit={() => ready && void approve.run()}
                  />
                  <Btn
                    testId="signin-forgot-passcode"
                    tone="link"
                    label={t('signin.forgotPasscode')}
                    onClick={() => go(ROUTES.passcode, { from: 'signin' })}
                  />
                </>
              ) : (
                <View data-testid="signin-passcode-missing">
                  <Notice tone="warn">{t('signin.passcodeMissing', { name })}</Notice>
                  <Btn
                    testId="signin-set-passcode"
                    label={t('signin.setPasscode')}
                    onClick={() => go(ROUTES.passcode, { from: 'signin' })}
                  />
                </View>
              )}
            </Panel>
          )}
          {needsFace && (
            <Panel title={t('signin.step.face')} className="signin__step">
              <View data-testid="signin-face" data-done={reauthToken ? 'true' : 'false'}>
                {reauthToken ? (
                  <Notice tone="success">{t('signin.faceDone')}</Notice>
                ) : (
                  <>
                    <Text>{t('signin.faceLead', { name })}</Text>
                    <FaceCheck
                      start={startReauth}
                      complete={async (id) => (await completeReauth(id)).reauthToken}
                      onPassed={setReauthToken}
                    />
                  </>
                )}
              </View>
            </Panel>
          )}
        </>
      )}

      {approve.busy && (
        <View data-testid="signin-working">
          <Loading label={t('signin.working')} />
        </View>
      )}
      {actionError !== undefined && (
        <View data-testid="signin-error" data-code={codeOf(actionError)}>
          <Notice tone="error">{describeSignInError(actionError, name, t, lang)}</Notice>
        </View>
      )}

      {answerable && (
        <View className="signin__actions">
          {trusted && onPhone && (
            <Btn
              testId="signin-approve"
              label={t('signin.approve')}
              busy={approve.busy}
              disabled={!ready || decline.busy}
              onClick={() => void approve.run()}
            />
          )}
          <Btn
            testId="signin-decline"
            tone="danger"
            label={t('signin.decline')}
            busy={decline.busy}
            disabled={approve.busy}
            onClick={() => void decline.run()}
          />
        </View>
      )}
    </Screen>
  );
}
