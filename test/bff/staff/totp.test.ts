import { TOTP, URI } from 'otpauth';
import { ConfigError, loadConfig } from '@eid/bff/config';
import { DEV_STAFF, startStack, type Stack } from '../../helpers/stack';

const STEP_MS = 30_000;

/** What enrolment answers. */
interface Enrolment {
  otpauthUri: string;
  secret: string;
  recoveryCodes: string[];
}

/** The authenticator app of the test: the TOTP the enrolment's URI describes. */
function appOf(enrolment: Enrolment): TOTP {
  const parsed = URI.parse(enrolment.otpauthUri);
  if (!(parsed instanceof TOTP)) throw new Error('the enrolment URI is not a TOTP one');
  return parsed;
}

/** A 6-digit code that is not `code`: its last digit moved by one. */
const wrongCodeFor = (code: string) => code.slice(0, 5) + ((Number(code[5]) + 1) % 10);

/**
 * Issue 19 §1: a TOTP second factor for staff accounts. Codes are made by otpauth from the secret the
 * enrolment answered, at the stack's manual clock, which is what the BFF checks them against.
 */
describe('staff: TOTP second factor', () => {
  let stack: Stack;
  let enrolment: Enrolment;
  let app: TOTP;

  // Every sign-in here is from one address; the throttle has its own suite (throttle.test.ts).
  beforeAll(async () => {
    stack = await startStack({ env: { STAFF_LOGIN_TRIES_PER_15_MIN: '1000' } });
    // A step just begun, so a test's few requests never straddle a step change by accident.
    stack.clock.set(Math.ceil(stack.clock.now() / STEP_MS) * STEP_MS + 1000);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const signIn = (extra: Record<string, string> = {}) =>
    stack.api('POST', '/api/v1/staff/login', { body: { ...DEV_STAFF, ...extra } });
  const codeAt = (offsetSteps = 0) => app.generate({ timestamp: stack.clock.now() + offsetSteps * STEP_MS });
  const nextStep = (steps = 1) => stack.clock.advance(steps * STEP_MS);
  const staffDoc = () =>
    stack.deps.db.collection('staff').findOne({ username: DEV_STAFF.username }) as Promise<{
      totp?: { sealed: string; recoveryHashes: string[]; confirmedAt?: number; lastStep: number };
    } | null>;

  it('when a signed-in staff member enrols, then an otpauth URI, a 160-bit base32 secret and 10 recovery codes, stored only sealed and hashed, and sign-in needs no code yet', async () => {
    const session = await signIn();
    expect(session.status).toBe(200);
    const res = await stack.api('POST', '/api/v1/staff/totp/enrol', { token: session.body.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    enrolment = res.body;
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32,}$/);
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    app = appOf(enrolment);
    expect(app.secret.base32).toBe(enrolment.secret);
    expect([app.algorithm, app.digits, app.period, app.label]).toEqual(['SHA1', 6, 30, DEV_STAFF.username]);
    expect(enrolment.recoveryCodes).toHaveLength(10);
    expect(new Set(enrolment.recoveryCodes).size).toBe(10);
    for (const code of enrolment.recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);

    const stored = JSON.stringify(await staffDoc());
    expect(stored).not.toContain(enrolment.secret);
    for (const code of enrolment.recoveryCodes) expect(stored).not.toContain(code);
    for (const line of stack.logs) expect(line).not.toContain(enrolment.secret);
    expect((await staffDoc())?.totp?.confirmedAt).toBeUndefined();

    // Pending: the password alone still signs in.
    expect((await signIn()).status).toBe(200);
  });

  it('when confirm gets a wrong code, then 401 TOTP_INVALID; with the app code, then a full session, and enrolling again is 409 TOTP_ALREADY_ENROLLED', async () => {
    const token = (await signIn()).body.accessToken;
    const wrong = await stack.api('POST', '/api/v1/staff/totp/confirm', {
      token,
      body: { code: wrongCodeFor(codeAt()) },
    });
    expect([wrong.status, wrong.body.code, wrong.body.details]).toEqual([
      401,
      'TOTP_INVALID',
      { reason: 'wrong' },
    ]);

    const confirmingCode = codeAt();
    const confirmed = await stack.api('POST', '/api/v1/staff/totp/confirm', {
      token,
      body: { code: confirmingCode },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      sessionEndsAt: expect.any(Number),
      staff: expect.objectContaining({ role: 'officer' }),
    });
    expect(confirmed.body.expiresIn).toBeLessThanOrEqual(stack.config.ACCESS_TOKEN_TTL_S);
    const me = await stack.api('GET', '/api/v1/staff/me', { token: confirmed.body.accessToken });
    expect(me.status).toBe(200);

    const again = await stack.api('POST', '/api/v1/staff/totp/enrol', { token: confirmed.body.accessToken });
    expect([again.status, again.body.code]).toEqual([409, 'TOTP_ALREADY_ENROLLED']);
    // The confirming code proved the app once; it does not sign in as well.
    const replayed = await signIn({ totp: confirmingCode });
    expect([replayed.status, replayed.body.code, replayed.body.details]).toEqual([
      401,
      'TOTP_INVALID',
      { reason: 'used' },
    ]);
  });

  it('when an enrolled account signs in without a code, then 401 TOTP_REQUIRED; with a wrong password, then CREDENTIALS_INVALID whatever code is sent', async () => {
    const bare = await signIn();
    expect([bare.status, bare.body.code]).toEqual([401, 'TOTP_REQUIRED']);
    const wrongPassword = await signIn({ password: 'not-the-password', totp: codeAt() });
    expect([wrongPassword.status, wrongPassword.body.code]).toEqual([401, 'CREDENTIALS_INVALID']);
  });

  it('when the code is wrong, then 401 TOTP_INVALID; when it is not six digits, then VALIDATION_FAILED', async () => {
    nextStep();
    const wrong = await signIn({ totp: wrongCodeFor(codeAt()) });
    expect([wrong.status, wrong.body.code, wrong.body.details]).toEqual([
      401,
      'TOTP_INVALID',
      { reason: 'wrong' },
    ]);
    const malformed = await signIn({ totp: '12345' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('when the right code signs in, then a session; when the same code is sent again, then 401 TOTP_INVALID (used)', async () => {
    const code = codeAt();
    const first = await signIn({ totp: code });
    expect(first.status).toBe(200);
    expect(first.body.totpEnrolmentRequired).toBeUndefined();
    expect((await stack.api('GET', '/api/v1/staff/me', { token: first.body.accessToken })).status).toBe(200);

    const reused = await signIn({ totp: code });
    expect([reused.status, reused.body.code, reused.body.details]).toEqual([
      401,
      'TOTP_INVALID',
      { reason: 'used' },
    ]);
  });

  it('when the code is one step old (the phone 30 s behind), then it is accepted; two steps old, then refused', async () => {
    nextStep(3);
    const drifted = await signIn({ totp: codeAt(-1) });
    expect(drifted.status).toBe(200);

    nextStep(3);
    const stale = await signIn({ totp: codeAt(-2) });
    expect([stale.status, stale.body.code, stale.body.details]).toEqual([
      401,
      'TOTP_INVALID',
      { reason: 'wrong' },
    ]);
    // And the current code of that moment still works: the stale try spent nothing.
    expect((await signIn({ totp: codeAt() })).status).toBe(200);
  });

  it('when a code older than the last one accepted is sent, then it is refused as used (steps only move forward)', async () => {
    nextStep();
    expect((await signIn({ totp: codeAt(1) })).status).toBe(200);
    const older = await signIn({ totp: codeAt() });
    expect([older.status, older.body.code, older.body.details]).toEqual([
      401,
      'TOTP_INVALID',
      { reason: 'used' },
    ]);
  });

  it('when two sign-ins race with the same code, then exactly one is accepted', async () => {
    nextStep(3);
    const code = codeAt();
    const answers = await Promise.all([
      signIn({ totp: code }),
      signIn({ totp: code }),
      signIn({ totp: code }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    expect(answers.filter((a) => a.status === 401).map((a) => a.body.code)).toEqual([
      'TOTP_INVALID',
      'TOTP_INVALID',
    ]);
  });

  it('when a recovery code signs in, then it works once and is refused after; another one works typed in lower case without dashes', async () => {
    const [first, second] = enrolment.recoveryCodes as [string, string];
    const used = await signIn({ recoveryCode: first });
    expect(used.status).toBe(200);
    const again = await signIn({ recoveryCode: first });
    expect([again.status, again.body.code]).toEqual([401, 'TOTP_INVALID']);
    const unknown = await signIn({ recoveryCode: 'AAAA-BBBB-CCCC-DDDD' });
    expect([unknown.status, unknown.body.code]).toEqual([401, 'TOTP_INVALID']);
    const relaxed = await signIn({ recoveryCode: second.replaceAll('-', '').toLowerCase() });
    expect(relaxed.status).toBe(200);
    expect((await staffDoc())?.totp?.recoveryHashes).toHaveLength(8);

    const both = await signIn({ totp: codeAt(), recoveryCode: enrolment.recoveryCodes[2]! });
    expect([both.status, both.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const line of stack.logs) expect(line).not.toContain(first);
  });
});

describe('staff: STAFF_TOTP_REQUIRED', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { STAFF_TOTP_REQUIRED: 'true' } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const signIn = (extra: Record<string, string> = {}) =>
    stack.api('POST', '/api/v1/staff/login', { body: { ...DEV_STAFF, ...extra } });

  it('when the flag is unset, then it is off outside production; a value that is not a boolean names the variable', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).staffTotpRequired).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).staffTotpRequired).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', STAFF_TOTP_REQUIRED: 'true' }).staffTotpRequired).toBe(true);
    let caught: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', STAFF_TOTP_REQUIRED: 'maybe' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('STAFF_TOTP_REQUIRED');
  });

  it('when an account without TOTP signs in, then an enrol-only token that every other staff route refuses with 403 TOTP_ENROLMENT_REQUIRED; after confirming, a full session', async () => {
    const session = await signIn();
    expect(session.status).toBe(200);
    expect(session.body.totpEnrolmentRequired).toBe(true);
    const enrolOnly = session.body.accessToken as string;
    for (const [method, path, body] of [
      ['GET', '/api/v1/staff/me', undefined],
      ['POST', '/api/v1/verify', { code: 'not-a-code', purpose: 'hotel_check_in' }],
    ] as const) {
      const res = await stack.api(method, path, { token: enrolOnly, body });
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'TOTP_ENROLMENT_REQUIRED']);
    }

    const enrolled = await stack.api('POST', '/api/v1/staff/totp/enrol', { token: enrolOnly });
    expect(enrolled.status).toBe(200);
    const app = appOf(enrolled.body);
    const confirmed = await stack.api('POST', '/api/v1/staff/totp/confirm', {
      token: enrolOnly,
      body: { code: app.generate({ timestamp: stack.clock.now() }) },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.totpEnrolmentRequired).toBeUndefined();
    // Confirming does not lengthen the session: the full token ends when the enrol-only one would have.
    expect(confirmed.body.expiresIn).toBeLessThanOrEqual(session.body.expiresIn);
    expect((await stack.api('GET', '/api/v1/staff/me', { token: confirmed.body.accessToken })).status).toBe(
      200,
    );
    // The enrol-only token stays what it was.
    const stillEnrolOnly = await stack.api('GET', '/api/v1/staff/me', { token: enrolOnly });
    expect([stillEnrolOnly.status, stillEnrolOnly.body.code]).toEqual([403, 'TOTP_ENROLMENT_REQUIRED']);

    // From now on the account signs in with a code, to a full session.
    expect((await signIn()).body.code).toBe('TOTP_REQUIRED');
    stack.clock.advance(STEP_MS);
    const full = await signIn({ totp: app.generate({ timestamp: stack.clock.now() }) });
    expect(full.status).toBe(200);
    expect(full.body.totpEnrolmentRequired).toBeUndefined();
    expect((await stack.api('GET', '/api/v1/staff/me', { token: full.body.accessToken })).status).toBe(200);
  });
});
