import { randomBytes } from 'node:crypto';
import { FIXTURES, MOCK_REGISTRY_API_KEY, syntheticCapture, type Resident } from '@eid/mock';
import { startStack, DEV_STAFF, type Stack } from '../../helpers/stack';
import { capture, freshPerson, giveConsent, realName, superAppCode } from '../../helpers/identity';
import { codeOf, holderWithCard, reauthToken, staffToken } from '../../helpers/card-flow';

describe('log privacy: a full run leaves no personal data or secret in the logs', () => {
  let stack: Stack;
  const secrets = new Map<string, string>();
  const keep = (label: string, value: string | undefined) => {
    if (value) secrets.set(value, label);
  };

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  function rememberPerson(who: Resident) {
    keep('name', who.name);
    keep('idNumber', who.idNumber);
    keep('idNumber (lower case)', who.idNumber.toLowerCase());
    keep('address', who.address);
    keep('portraitRef', who.portraitRef);
  }

  async function loginAs(userKey: string) {
    const code = await superAppCode(stack, userKey);
    keep('login code', code);
    const res = await stack.api('POST', '/api/v1/auth/login', { body: { code } });
    keep('access token', res.body.accessToken);
    keep('refresh token', res.body.refreshToken);
    return res.body as { accessToken: string; refreshToken: string };
  }

  async function faceStep(token: string, path: 'enrollment/real-person' | 'reauth') {
    const start = await stack.api('POST', `/api/v1/${path}/start`, { token, body: {} });
    if (start.status !== 200) return start;
    keep('verify id', start.body.verifyId);
    const image = syntheticCapture(randomBytes(6).toString('hex'));
    keep('capture image', image.slice(0, 64));
    await capture(stack, start.body.verifyId, image);
    return stack.api('POST', `/api/v1/${path}/complete`, { token, body: { verifyId: start.body.verifyId } });
  }

  it('when residents enroll, fail, re-authenticate, read their trace, refresh, log out and close accounts, then no log line carries their data', async () => {
    const who = freshPerson();
    const timeout = FIXTURES.faceTimeout;
    for (const p of [who, timeout, FIXTURES.faceError, FIXTURES.expired, FIXTURES.cancelled])
      rememberPerson(p);

    const session = await loginAs('privacy-person');
    const token = session.accessToken;
    await giveConsent(stack, token);
    // Failures on the way: a wrong name, a bad check digit, input the schema refuses.
    expect((await realName(stack, token, { name: `${who.name}伪`, idNumber: who.idNumber })).status).toBe(
      422,
    );
    expect(
      (await realName(stack, token, { name: who.name, idNumber: `${who.idNumber.slice(0, 17)}Z` })).status,
    ).toBe(400);
    const refused = await stack.api('POST', '/api/v1/enrollment/real-name', {
      token,
      body: { name: who.name, idNumber: who.idNumber, address: who.address },
    });
    expect(refused.status).toBe(400);
    expect((await realName(stack, token, FIXTURES.expired)).status).toBe(422);
    expect((await realName(stack, token, who)).status).toBe(200);
    expect((await faceStep(token, 'enrollment/real-person')).body.state).toBe('eligible');
    const re = await faceStep(token, 'reauth');
    expect(re.status).toBe(200);
    keep('reauth token', re.body.reauthToken);
    expect((await stack.api('GET', '/api/v1/usage', { token })).status).toBe(200);

    // Upstream trouble: a face service that hangs and one that fails.
    for (const [userKey, person, status] of [
      ['privacy-timeout', timeout, 504],
      ['privacy-error', FIXTURES.faceError, 503],
    ] as const) {
      const s = await loginAs(userKey);
      await giveConsent(stack, s.accessToken);
      expect((await realName(stack, s.accessToken, person)).status).toBe(200);
      expect((await faceStep(s.accessToken, 'enrollment/real-person')).status).toBe(status);
    }

    // The portrait the registry holds (the card module serves it; here it must simply never be logged).
    const portrait = await fetch(`${stack.mocks.registry.url}/v1/portraits/${who.portraitRef}`, {
      headers: { 'x-api-key': MOCK_REGISTRY_API_KEY },
    });
    expect(portrait.status).toBe(200);
    keep(
      'portrait bytes',
      Buffer.from(await portrait.arrayBuffer())
        .toString('base64')
        .slice(0, 64),
    );

    const refreshed = await stack.api('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    keep('access token', refreshed.body.accessToken);
    keep('refresh token', refreshed.body.refreshToken);
    // A reuse, which is logged as a warning.
    expect(
      (await stack.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }))
        .status,
    ).toBe(401);
    const other = await loginAs('privacy-person');
    await stack.api('POST', '/api/v1/auth/logout', {
      token: other.accessToken,
      body: { refreshToken: other.refreshToken },
    });
    const staff = await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    keep('staff token', staff.body.accessToken);
    expect(
      (await stack.api('POST', '/api/v1/staff/login', { body: { ...DEV_STAFF, password: 'wrong-guess' } }))
        .status,
    ).toBe(401);
    const closing = await loginAs('privacy-closing');
    expect((await stack.api('DELETE', '/api/v1/account', { token: closing.accessToken })).status).toBe(200);

    expect(stack.logs.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    for (const line of stack.logs) {
      for (const [value, label] of secrets) {
        if (line.includes(value)) leaks.push(`${label} in: ${line.slice(0, 160)}`);
      }
    }
    expect(leaks).toEqual([]);
    // The registry and face errors were logged (so the check above looked at real error lines).
    expect(stack.logs.some((l) => /"level":"error"/.test(l) || /UPSTREAM/.test(l))).toBe(true);
  });

  it('when a card is issued, shown, verified by staff, revealed, suspended and resumed, then no log line carries personal data or a code', async () => {
    const who = freshPerson();
    rememberPerson(who);
    const from = stack.logs.length;
    const holder = await holderWithCard(stack, who);
    keep('access token', holder.token);
    keep('credential', Buffer.from(holder.credential).toString('base64url').slice(0, 48));
    const code = codeOf(stack, holder);
    keep('bright code', code.slice(0, 48));
    expect((await stack.api('GET', '/api/v1/card', { token: holder.token })).status).toBe(200);
    expect((await stack.api('GET', '/api/v1/card/portrait', { token: holder.token })).status).toBe(200);
    const staff = await staffToken(stack);
    keep('staff token', staff);
    for (const purpose of ['hotel_check_in', 'finance']) {
      const checked = await stack.api('POST', '/api/v1/verify', { token: staff, body: { code, purpose } });
      expect(checked.status).toBe(200);
    }
    // The same code uploaded as a check made offline, twice (a retry), and once with a body the schema refuses.
    const offline = {
      id: 'log-privacy-check-01',
      code,
      purpose: 'household_registration',
      terminalId: 'terminal-log-privacy',
      checkedAt: stack.clock.now(),
      verdict: 'valid',
    };
    for (const checks of [[offline], [offline], [{ ...offline, verdict: who.name }]]) {
      const uploaded = await stack.api('POST', '/api/v1/verify/offline-checks', {
        token: staff,
        body: { checks },
      });
      expect(uploaded.status).toBe(checks[0]!.verdict === 'valid' ? 200 : 400);
    }
    const reauth = await reauthToken(stack, holder.token);
    keep('reauth token', reauth);
    const revealed = await stack.api('POST', '/api/v1/card/reveal', {
      token: holder.token,
      body: { reauthToken: reauth },
    });
    expect(revealed.body.idNumber).toBe(who.idNumber);
    expect((await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} })).status).toBe(
      200,
    );
    const resumed = await stack.api('POST', '/api/v1/card/resume', {
      token: holder.token,
      body: { reauthToken: await reauthToken(stack, holder.token) },
    });
    expect(resumed.status).toBe(200);

    const lines = stack.logs.slice(from);
    expect(lines.length).toBeGreaterThan(10);
    const leaks = lines.flatMap((line) =>
      [...secrets]
        .filter(([value]) => line.includes(value))
        .map(([, label]) => `${label} in: ${line.slice(0, 160)}`),
    );
    expect(leaks).toEqual([]);
  });
});
