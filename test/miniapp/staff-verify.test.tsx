import type { ComponentType } from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setLang } from '../../miniapp/src/i18n';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { STAFF_MESSAGES } from '../../miniapp/src/staff/i18n';

/**
 * The staff verifier page against a real HTTP server answering as the BFF does: the sentence an officer
 * reads is chosen by the error code, never by the HTTP status.
 */

const SESSION = {
  accessToken: 'staff-token',
  expiresIn: 900,
  staff: { id: 's-1', displayName: '窗口 3', role: 'officer', org: '历下分局' },
};

let bff: FakeBff;
let StaffVerify: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    if (req.url === '/api/v1/purposes') {
      return reply(res, 200, [
        { code: 'hotel_check_in', zh: '酒店入住', en: 'Hotel check-in', basis: 'x', fields: ['name'] },
      ]);
    }
    if (req.url === '/api/v1/staff/login') {
      const { password, totp, recoveryCode } = await readJson(req);
      if (password === 'right-password') return reply(res, 200, SESSION);
      // An account with a second factor: the code 123456 once, or the recovery code.
      if (password === 'two-step') {
        if (totp === '123456' || recoveryCode === 'ABCD-EFGH-JKLM-NPQR') return reply(res, 200, SESSION);
        if (totp === undefined && recoveryCode === undefined)
          return reply(res, 401, { code: 'TOTP_REQUIRED', message: 'x', requestId: 'r' });
        return reply(res, 401, {
          code: 'TOTP_INVALID',
          message: 'x',
          requestId: 'r',
          details: { reason: 'wrong' },
        });
      }
      if (password === 'too-many')
        return reply(res, 429, { code: 'RATE_LIMITED', message: 'x', requestId: 'r' });
      return reply(res, 401, {
        code: 'CREDENTIALS_INVALID',
        message: 'The username or password is wrong',
        requestId: 'r',
      });
    }
    if (req.url === '/api/v1/verify') {
      return reply(res, 401, { code: 'SESSION_REVOKED', message: 'x', requestId: 'r' });
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  // The BFF's origin is fixed when the request module loads; load the page only now that it is known.
  process.env.TARO_APP_API_BASE = bff.base;
  StaffVerify = (await import('../../miniapp/src/staff/pages/verify/index')).default;
});

afterAll(() => bff.close());

beforeEach(async () => {
  act(() => setLang('zh'));
  // A test that signed in leaves the terminal's session behind; every test starts at the sign-in form.
  (await import('../../miniapp/src/services/staff')).staffLogout();
});

async function signIn(password: string) {
  render(<StaffVerify />);
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'staff01' } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('staff verifier page', () => {
  it('when the password is wrong, then the officer reads that the username or password is wrong', async () => {
    await signIn('wrong-password');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('用户名或密码不正确。');
    expect(alert).not.toHaveTextContent(MESSAGES['error.generic'].zh);
    expect(alert.textContent).not.toMatch(/CREDENTIALS_INVALID|wrong/);
  });

  it('when the language is English, then the same failure reads in English', async () => {
    act(() => setLang('en'));
    render(<StaffVerify />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'staff01' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Wrong username or password.');
    expect(alert).not.toHaveTextContent(MESSAGES['error.generic'].en);
  });

  it('when sign-in is throttled, then the sentence is the rate limit one, not the password one', async () => {
    await signIn('too-many');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(MESSAGES['error.RATE_LIMITED'].zh);
    expect(alert).not.toHaveTextContent('用户名或密码不正确');
  });

  it('when the account has a second factor, then the code field appears, a wrong code reads as such, and the right one signs in', async () => {
    await signIn('two-step');
    expect(await screen.findByRole('alert')).toHaveTextContent(MESSAGES['error.TOTP_REQUIRED'].zh);
    const field = screen.getByLabelText(STAFF_MESSAGES['staff.totp'].zh);
    fireEvent.change(field, { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(MESSAGES['error.TOTP_INVALID'].zh),
    );
    fireEvent.change(field, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await screen.findByText('当前：窗口 3（历下分局）');
  });

  it('when the officer types a recovery code instead, then it is sent as one', async () => {
    await signIn('two-step');
    await screen.findByRole('alert');
    fireEvent.change(screen.getByLabelText(STAFF_MESSAGES['staff.totp'].zh), {
      target: { value: 'ABCD-EFGH-JKLM-NPQR' },
    });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await screen.findByText('当前：窗口 3（历下分局）');
  });

  it('when the session is revoked during a check, then the sign-in form comes back saying the session ended', async () => {
    await signIn('right-password');
    await screen.findByText('当前：窗口 3（历下分局）');
    await screen.findByRole('combobox');
    fireEvent.change(screen.getByLabelText('亮证码'), { target: { value: 'EID1:anything' } });
    fireEvent.click(screen.getByRole('button', { name: '核验' }));
    await waitFor(() =>
      expect(screen.getByText(STAFF_MESSAGES['staff.sessionEnded'].zh)).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: '登录' })).toBeInTheDocument();
  });
});
