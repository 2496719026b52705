import { useState } from 'react';
import { Btn, Field, Notice, Panel } from '../../components/ui';
import { asAppError, describeError } from '../../lib/errors';
import { useAction } from '../../lib/hooks';
import { staffLogin } from '../../services/staff';
import { useI18n } from '../i18n';

/** Sign-in of a staff member at a window terminal. */
export function StaffLogin() {
  const { t, lang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The second factor's field appears once the BFF says this account has one (TOTP_REQUIRED), and stays.
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const login = useAction(async () => {
    const second = code.trim();
    try {
      await staffLogin(
        username.trim(),
        password,
        !needsCode || !second
          ? undefined
          : /^\d{6}$/.test(second)
            ? { totp: second }
            : { recoveryCode: second },
      );
    } catch (err) {
      if (asAppError(err).code === 'TOTP_REQUIRED') setNeedsCode(true);
      throw err;
    }
  });
  // By code alone: a wrong username or password is CREDENTIALS_INVALID, a throttled one RATE_LIMITED.
  const message = login.error === undefined ? undefined : describeError(login.error, t, lang);
  const submit = () => void login.run();
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
        onSubmit={submit}
      />
      {needsCode && (
        <Field
          id="staff-totp"
          label={t('staff.totp')}
          value={code}
          onChange={setCode}
          autoComplete="one-time-code"
          onSubmit={submit}
        />
      )}
      {message && <Notice tone="error">{message}</Notice>}
      <Btn
        label={t('staff.login')}
        onClick={submit}
        busy={login.busy}
        disabled={!username || !password || (needsCode && !code.trim())}
      />
    </Panel>
  );
}
