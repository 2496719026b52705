import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { StaffSession } from '@eid/shared';
import { api, ApiError, setSession } from '../api';
import { Qr } from '../components/Qr';
import { ErrorBox, Field, T } from '../ui';

interface Enrolment {
  otpauthUri: string;
  secret: string;
  recoveryCodes: string[];
}

type Step =
  | { kind: 'password' }
  | { kind: 'totp'; username: string; password: string }
  | { kind: 'enrol'; token: string; enrolment?: Enrolment };

/**
 * Sign-in: username and password; then the authenticator's code when the BFF answers TOTP_REQUIRED; or,
 * for an account that must enrol (`totpEnrolmentRequired`), the QR code of its new secret and its
 * recovery codes shown once, then a first code to confirm.
 */
export function SignIn() {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function attempt(body: Record<string, string>, username: string, password: string) {
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<StaffSession & { totpEnrolmentRequired?: true }>(
        'POST',
        '/api/v1/staff/login',
        { body, token: null },
      );
      if (session.totpEnrolmentRequired) setStep({ kind: 'enrol', token: session.accessToken });
      else setSession(session);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
        setStep({ kind: 'totp', username, password });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">
        <T w={{ zh: '管理后台登录', en: 'Admin sign-in' }} />
      </h1>
      {step.kind === 'password' && (
        <PasswordStep busy={busy} onSubmit={(u, p) => attempt({ username: u, password: p }, u, p)} />
      )}
      {step.kind === 'totp' && (
        <TotpStep
          busy={busy}
          onSubmit={(code, recovery) =>
            attempt(
              {
                username: step.username,
                password: step.password,
                ...(recovery ? { recoveryCode: code } : { totp: code }),
              },
              step.username,
              step.password,
            )
          }
          onBack={() => setStep({ kind: 'password' })}
        />
      )}
      {step.kind === 'enrol' && <EnrolStep token={step.token} />}
      <ErrorBox error={error} />
    </main>
  );
}

function PasswordStep({ busy, onSubmit }: { busy: boolean; onSubmit: (u: string, p: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(username.trim(), password);
  };
  return (
    <form onSubmit={submit} aria-label="登录表单 Sign-in form">
      <Field label={{ zh: '用户名', en: 'Username' }}>
        <input
          name="username"
          autoComplete="username"
          required
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </Field>
      <Field label={{ zh: '密码', en: 'Password' }}>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={busy}>
        登录 <span className="en">Sign in</span>
      </button>
    </form>
  );
}

function TotpStep({
  busy,
  onSubmit,
  onBack,
}: {
  busy: boolean;
  onSubmit: (code: string, recovery: boolean) => void;
  onBack: () => void;
}) {
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [recovery]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(code.trim(), recovery);
    setCode('');
  };
  return (
    <form onSubmit={submit} aria-label="第二步验证">
      <p>
        <T
          w={
            recovery
              ? { zh: '请输入一个未用过的恢复码。', en: 'Enter a recovery code you have not used.' }
              : {
                  zh: '请输入身份验证器上显示的 6 位动态码。',
                  en: 'Enter the 6 digits your authenticator app shows.',
                }
          }
        />
      </p>
      <Field
        label={recovery ? { zh: '恢复码', en: 'Recovery code' } : { zh: '动态码', en: 'Authenticator code' }}
      >
        <input
          ref={input}
          name="totp"
          inputMode={recovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          pattern={recovery ? undefined : '\\d{6}'}
          maxLength={recovery ? 19 : 6}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={busy}>
        验证 <span className="en">Verify</span>
      </button>
      <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
        {recovery ? '改用动态码 Use the app code' : '改用恢复码 Use a recovery code'}
      </button>
      <button type="button" className="link" onClick={onBack}>
        返回 <span className="en">Back</span>
      </button>
    </form>
  );
}

function EnrolStep({ token }: { token: string }) {
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    api<Enrolment>('POST', '/api/v1/staff/totp/enrol', { body: {}, token }).then(setEnrolment, setError);
  }, [token]);
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setSession(
        await api<StaffSession>('POST', '/api/v1/staff/totp/confirm', { body: { code: code.trim() }, token }),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="enrol-title">
      <h2 id="enrol-title">
        <T w={{ zh: '绑定身份验证器', en: 'Set up your authenticator' }} />
      </h2>
      {enrolment && (
        <>
          <p>
            <T
              w={{
                zh: '用手机上的身份验证器扫描二维码，或手动输入密钥。',
                en: 'Scan the code with your authenticator app, or type the key.',
              }}
            />
          </p>
          <Qr text={enrolment.otpauthUri} label="身份验证器二维码 Authenticator QR code" />
          <p className="mono" data-testid="totp-secret">
            {enrolment.secret}
          </p>
          <h3>
            <T w={{ zh: '恢复码（只显示这一次）', en: 'Recovery codes (shown this once)' }} />
          </h3>
          <ol className="mono" data-testid="recovery-codes">
            {enrolment.recoveryCodes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
          <form onSubmit={confirm}>
            <label className="check">
              <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
              <T
                w={{
                  zh: '我已抄下恢复码并妥善保存',
                  en: 'I have written the recovery codes down and stored them safely',
                }}
              />
            </label>
            <Field label={{ zh: '动态码', en: 'Authenticator code' }}>
              <input
                name="confirm-code"
                inputMode="numeric"
                pattern="\d{6}"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </Field>
            <button type="submit" disabled={!saved}>
              确认绑定 <span className="en">Confirm</span>
            </button>
          </form>
        </>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
