import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { passcodeProblem, type PasscodeProblem, type PasscodeStatus } from '@eid/shared';
import { useEffect, useState } from 'react';
import { FaceCheck } from '../../../components/FaceCheck';
import { PasscodeField } from '../../../components/PasscodeField';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { clock } from '../../../lib/clock';
import { asAppError, describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useAction } from '../../../lib/hooks';
import { back } from '../../../lib/nav';
import { completeReauth, startReauth } from '../../../services/enrollment';
import { getPasscodeStatus, resetPasscode, setPasscode } from '../../../services/passcode';
import { useI18n, useTitle } from './i18n';
import './index.scss';

/** Which form is open once a passcode is set: none, change (with the current one), or reset after a face check. */
type Mode = 'none' | 'change' | 'forgot';
// A choice refused on the phone reads as the BFF's refusal of it would.
const PROBLEM = {
  format: 'error.PASSCODE_WEAK',
  repeated: 'error.PASSCODE_WEAK.repeated',
  sequence: 'error.PASSCODE_WEAK.sequence',
} as const satisfies Record<PasscodeProblem, string>;

type Done = 'passcodePage.doneSet' | 'passcodePage.doneChange' | 'passcodePage.doneReset';

/**
 * The e-ID passcode (level 2 and 3 of remote sign-in): set it (typed twice), change it (the current one,
 * then the new one twice), or, forgotten, replace it after a face check, which also ends a pause. Shows
 * whether one is set, the wrong tries left and any pause. Opened from a sign-in (`from=signin`), it offers
 * the way back once done.
 */
export default function Passcode() {
  const { t, lang } = useI18n();
  useTitle('passcodePage.title');
  const fromSignIn = useRouter().params?.from === 'signin';
  const [status, setStatus] = useState<PasscodeStatus | undefined>();
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [mode, setMode] = useState<Mode>('none');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [reauthToken, setReauthToken] = useState<string | undefined>();
  const [tried, setTried] = useState(false);
  const [done, setDone] = useState<Done | null>(null);

  const load = async () => {
    setLoadError(undefined);
    try {
      setStatus(await getPasscodeStatus());
    } catch (err) {
      setLoadError(err);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const clearForm = () => {
    setCurrent('');
    setNext('');
    setAgain('');
    setTried(false);
  };

  const changing = status?.set === true && mode === 'change';
  const resetting = status?.set === true && mode === 'forgot';
  const nextProblem = passcodeProblem(next);
  const errors = {
    current: tried && changing && !current ? t('passcodePage.currentEmpty') : undefined,
    next: !tried
      ? undefined
      : nextProblem
        ? t(PROBLEM[nextProblem])
        : changing && next === current
          ? t('passcodePage.same')
          : undefined,
    again: tried && !nextProblem && again !== next ? t('passcodePage.mismatch') : undefined,
  };

  const save = useAction(async () => {
    setTried(true);
    if (!status || passcodeProblem(next) || again !== next || (changing && (!current || next === current)))
      return;
    try {
      if (resetting && reauthToken) {
        setStatus(await resetPasscode({ passcode: next, reauthToken }));
        setDone('passcodePage.doneReset');
      } else if (changing) {
        setStatus(await setPasscode({ passcode: next, currentPasscode: current }));
        setDone('passcodePage.doneChange');
      } else {
        setStatus(await setPasscode({ passcode: next }));
        setDone('passcodePage.doneSet');
      }
      clearForm();
      setReauthToken(undefined);
      setMode('none');
    } catch (err) {
      const code = asAppError(err).code;
      if (code === 'PASSCODE_WRONG' || code === 'PASSCODE_PAUSED') {
        setCurrent('');
        setTried(false);
        void load();
      }
      // The face check's token is single-use and short-lived: a refused one means checking again.
      if (code === 'REAUTH_REQUIRED') setReauthToken(undefined);
      throw err;
    }
  });

  const openMode = (m: Mode) => {
    clearForm();
    setDone(null);
    setReauthToken(undefined);
    save.clearError();
    setMode(m);
  };

  const title = t('passcodePage.title');
  if (!status) {
    return (
      <Screen title={title}>
        {loadError === undefined ? (
          <Loading />
        ) : (
          <View data-testid="passcode-error">
            <Notice tone="error">{describeError(loadError, t, lang)}</Notice>
            <Btn
              testId="passcode-retry"
              tone="secondary"
              label={t('common.retry')}
              onClick={() => void load()}
            />
          </View>
        )}
      </Screen>
    );
  }

  const paused = status.pausedUntil !== undefined && status.pausedUntil > clock.now();
  const saveError = save.error;
  const form = (withCurrent: boolean) => (
    <View className="passcode__form">
      {withCurrent && (
        <PasscodeField
          id="passcode-current"
          label={t('passcodePage.current')}
          value={current}
          autoComplete="current-password"
          onChange={setCurrent}
          error={errors.current}
        />
      )}
      <PasscodeField
        id="passcode-new"
        label={t('passcodePage.new')}
        hint={t('passcodePage.hint')}
        value={next}
        autoComplete="new-password"
        onChange={setNext}
        error={errors.next}
      />
      <PasscodeField
        id="passcode-confirm"
        label={t('passcodePage.confirm')}
        value={again}
        autoComplete="new-password"
        onChange={setAgain}
        onSubmit={() => void save.run()}
        error={errors.again}
      />
      <Btn
        testId="passcode-save"
        label={t('passcodePage.save')}
        busy={save.busy}
        onClick={() => void save.run()}
      />
    </View>
  );

  return (
    <Screen title={title} className="passcode">
      <Text className="lead">{t('passcodePage.lead')}</Text>
      <Panel title={t('passcodePage.status')}>
        <View data-testid="passcode-status" data-set={status.set ? 'true' : 'false'}>
          <Row
            label={t('passcodePage.status')}
            value={t(status.set ? 'passcodePage.isSet' : 'passcodePage.notSet')}
          />
          {status.set && paused && (
            <View data-testid="passcode-paused">
              <Notice tone="warn">
                {t('passcodePage.paused', { time: formatDateTime(status.pausedUntil!, lang) })}
              </Notice>
            </View>
          )}
          {status.set && !paused && (
            <Text className="muted" data-testid="passcode-tries">
              {t('passcodePage.triesLeft', { n: status.triesLeft })}
            </Text>
          )}
          {status.updatedAt !== undefined && (
            <Text className="muted">
              {t('passcodePage.updated', { time: formatDateTime(status.updatedAt, lang) })}
            </Text>
          )}
        </View>
      </Panel>

      {done && (
        <View data-testid="passcode-done" data-done={done}>
          <Notice tone="success">{t(done)}</Notice>
          {fromSignIn && <Btn testId="passcode-back" label={t('passcodePage.back')} onClick={back} />}
        </View>
      )}
      {saveError !== undefined && (
        <View data-testid="passcode-error" data-code={asAppError(saveError).code}>
          <Notice tone="error">{describeError(saveError, t, lang)}</Notice>
        </View>
      )}

      {!status.set && <Panel title={t('passcodePage.set')}>{form(false)}</Panel>}

      {status.set && mode === 'none' && (
        <View className="passcode__choices">
          <Btn
            testId="passcode-change"
            tone="secondary"
            label={t('passcodePage.change')}
            onClick={() => openMode('change')}
          />
          <Btn
            testId="passcode-forgot"
            tone="secondary"
            label={t('passcodePage.forgot')}
            onClick={() => openMode('forgot')}
          />
        </View>
      )}

      {changing && (
        <Panel title={t('passcodePage.change')}>
          {form(true)}
          <Btn
            testId="passcode-cancel"
            tone="link"
            label={t('common.cancel')}
            onClick={() => openMode('none')}
          />
        </Panel>
      )}

      {resetting && (
        <Panel title={t('passcodePage.forgot')}>
          {reauthToken ? (
            form(false)
          ) : (
            <View data-testid="passcode-face">
              <Text>{t('passcodePage.forgotLead')}</Text>
              <FaceCheck
                start={startReauth}
                complete={async (id) => (await completeReauth(id)).reauthToken}
                onPassed={setReauthToken}
              />
            </View>
          )}
          <Btn
            testId="passcode-cancel"
            tone="link"
            label={t('common.cancel')}
            onClick={() => openMode('none')}
          />
        </Panel>
      )}
    </Screen>
  );
}
