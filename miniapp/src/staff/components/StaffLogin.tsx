import { useState } from 'react';
import { Btn, Field, Notice, Panel } from '../../components/ui';
import { describeError } from '../../lib/errors';
import { useAction } from '../../lib/hooks';
import { staffLogin } from '../../services/staff';
import { useI18n } from '../i18n';

/** Sign-in of a staff member at a window terminal. */
export function StaffLogin() {
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
