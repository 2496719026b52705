import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AppError, CARD_FIELDS, type CardField, type ErrorCode, type VerifyAnswer } from '@eid/shared';
import { useState } from 'react';
import { Btn, Choose, Field, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../../lib/errors';
import { formatCardDate, formatDateTime, formatValidity } from '../../../lib/format';
import { useAction, useAsync } from '../../../lib/hooks';
import { fieldLabel } from '../../../lib/labels';
import { useStore } from '../../../lib/store';
import { getPurposes } from '../../../services/card';
import { staffStore } from '../../../services/request';
import { staffLogin, staffLogout, verifyCode } from '../../../services/staff';
import './index.scss';

// The codes that mean the staff token no longer works, so the page is back at sign-in.
const SESSION_ENDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SESSION_REVOKED',
]);

function StaffLogin() {
  const { t, lang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction(async () => {
    await staffLogin(username.trim(), password);
  });
  // By code alone: a wrong username or password is CREDENTIALS_INVALID, a throttled one RATE_LIMITED.
  const message = login.error === undefined ? undefined : describeError(login.error, t, lang);
  return (
    <Panel title={t('staff.loginTitle')}>
      <Field
        id="staff-username"
        label={t('staff.username')}
        value={username}
        onChange={setUsername}
        autoComplete="username"
      />
      <Field
        id="staff-password"
        label={t('staff.password')}
        value={password}
        onChange={setPassword}
        password
        autoComplete="current-password"
        onSubmit={() => void login.run()}
      />
      {message && <Notice tone="error">{message}</Notice>}
      <Btn
        label={t('staff.login')}
        onClick={() => void login.run()}
        busy={login.busy}
        disabled={!username || !password}
      />
    </Panel>
  );
}

function Verdict({ result }: { result: VerifyAnswer }) {
  const { t, lang } = useI18n();
  const ok = result.verdict === 'valid';
  const card = result.card ?? {};
  const shown = CARD_FIELDS.filter((f) => typeof card[f] === 'string' && card[f] !== '');
  const value = (f: CardField) => {
    const v = String(card[f]);
    if (f === 'birthDate') return formatCardDate(v, lang);
    if (f === 'sex')
      return v === 'M' || v === '男' ? t('card.sexM') : v === 'F' || v === '女' ? t('card.sexF') : v;
    if (f === 'validFrom' || f === 'validUntil') return formatValidity(v, t('card.longTerm'));
    return v;
  };
  return (
    <View className={`verdict verdict--${ok ? 'ok' : 'bad'}`} role="status" aria-live="assertive">
      <Text className="verdict__title" data-verdict={result.verdict}>
        {t(`verdict.${result.verdict}` as MessageKey)}
      </Text>
      <Text className="verdict__hint">{t(`verdict.${result.verdict}.hint` as MessageKey)}</Text>
      <Text className="verdict__meta">
        {t('staff.checkedAt', { time: formatDateTime(result.checkedAt, lang) })}
      </Text>
      {result.issuer && (
        <Text className="verdict__meta">{t('staff.issuer', { province: result.issuer.province })}</Text>
      )}
      {ok && shown.length > 0 ? (
        <View className="verdict__card">
          <Text className="verdict__card-title">{t('staff.cardData')}</Text>
          {shown.map((f) => (
            <Row key={f} label={fieldLabel(f, t)} value={value(f)} />
          ))}
        </View>
      ) : (
        !ok && <Text className="verdict__meta">{t('staff.noCardData')}</Text>
      )}
    </View>
  );
}

/** The staff verifier for a service window: sign in, choose the purpose, scan or paste, read the verdict. */
export default function StaffVerify() {
  const { t, lang } = useI18n();
  useTitle('staff.title');
  const staff = useStore(staffStore);
  const purposes = useAsync(getPurposes);
  const [purpose, setPurpose] = useState('');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<VerifyAnswer | null>(null);
  const [missing, setMissing] = useState(false);
  const chosen = purpose || purposes.data?.[0]?.code || '';

  const check = useAction(async () => {
    const text = code.trim();
    if (!text) {
      setMissing(true);
      return;
    }
    setResult(null);
    setResult(await verifyCode(text, chosen));
  });

  const scan = async () => {
    try {
      const { result: scanned } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setCode(scanned);
      setMissing(false);
    } catch {
      // Scanning cancelled: nothing to do.
    }
  };

  const next = () => {
    setCode('');
    setResult(null);
    check.clearError();
  };

  const sessionEnded =
    staff === null && check.error instanceof AppError && SESSION_ENDED.has(check.error.code);

  return (
    <Screen showBack={false} title={t('staff.title')} className="staff">
      {!staff ? (
        <>
          {sessionEnded && <Notice tone="warn">{t('staff.sessionEnded')}</Notice>}
          <StaffLogin />
        </>
      ) : (
        <>
          <View className="staff__who">
            <Text>{t('staff.signedInAs', { name: staff.staff.displayName, org: staff.staff.org })}</Text>
            <Btn tone="link" label={t('staff.logout')} onClick={staffLogout} />
          </View>
          <Panel>
            {purposes.loading && <Loading />}
            {purposes.error !== undefined && (
              <Notice tone="error">{describeError(purposes.error, t, lang)}</Notice>
            )}
            {purposes.data && (
              <Choose
                id="staff-purpose"
                label={t('staff.purpose')}
                value={chosen}
                choices={purposes.data.map((p) => ({ value: p.code, label: p[lang] }))}
                onChange={setPurpose}
              />
            )}
            <Field
              id="staff-code"
              label={t('staff.code')}
              hint={t('staff.codeHint')}
              value={code}
              onChange={(v) => {
                setCode(v);
                setMissing(false);
              }}
              multiline
              onSubmit={() => void check.run()}
              error={missing ? t('staff.codeRequired') : undefined}
            />
            {process.env.TARO_ENV === 'weapp' && (
              <Btn tone="secondary" label={t('staff.scan')} onClick={() => void scan()} />
            )}
            <Btn
              label={check.busy ? t('staff.verifying') : t('staff.verify')}
              onClick={() => void check.run()}
              busy={check.busy}
              disabled={!chosen}
            />
          </Panel>
          {check.error !== undefined && <Notice tone="error">{describeError(check.error, t, lang)}</Notice>}
          {result && (
            <>
              <Verdict result={result} />
              <Btn tone="secondary" label={t('staff.next')} onClick={next} />
            </>
          )}
        </>
      )}
    </Screen>
  );
}
