import { CLOCK_TOLERANCE_MS, CODE_TTL_MS, base45Encode, maskIdNumber, parseCodeV2 } from '@eid/shared';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { hashPassword } from '@eid/bff/modules/staff/password';
import { startStack, withSecondInstance, type Stack } from '../../helpers/stack';
import {
  codeOf,
  ed25519,
  holderWithCard,
  issue,
  newDevice,
  reauthToken,
  reissued,
  staffToken,
  type Holder,
} from '../../helpers/card-flow';

describe('verify: online verification for staff terminals', () => {
  let stack: Stack;
  let staff: string;
  let holder: Holder;
  const SECOND_STAFF = { username: 'staff02', password: 'second-staff-password-02' };

  beforeAll(async () => {
    stack = await startStack();
    staff = await staffToken(stack);
    await createStaffRepository(stack.deps.db).upsert({
      id: 'staff-second',
      username: SECOND_STAFF.username,
      passwordHash: await hashPassword(SECOND_STAFF.password),
      role: 'officer',
      displayName: '青岛市公安局市南分局 窗口 1',
      org: '青岛市市南区政务服务中心',
      createdAt: stack.clock.now(),
    });
    holder = await holderWithCard(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const verify = (code: unknown, purpose = 'hotel_check_in', token = staff) =>
    stack.api('POST', '/api/v1/verify', { token, body: { code, purpose } });
  const usageOf = async (h: Holder) =>
    (await stack.api('GET', '/api/v1/usage?limit=100', { token: h.token })).body.items as {
      action: string;
      actor: Record<string, string>;
      fields: string[];
      purpose: string;
      result: string;
      detail?: Record<string, unknown>;
    }[];

  it('when a staff terminal checks a valid code for hotel check-in, then it sees only the hotel fields and the check is traced', async () => {
    const res = await verify(codeOf(stack, holder));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const p = holder.person;
    expect(res.body).toEqual({
      verdict: 'valid',
      checkedAt: stack.clock.now(),
      format: 2,
      issuer: { kid: stack.deps.keys.activeIssuerKid(), province: stack.config.PROVINCE_CODE },
      codePurpose: 'hotel_check_in',
      card: {
        name: p.name,
        sex: p.sex,
        ethnicity: p.ethnicity,
        birthDate: p.birthDate,
        idNumberMasked: maskIdNumber(p.idNumber),
      },
    });
    const event = (await usageOf(holder)).find((e) => e.action === 'card.verify');
    expect(event).toMatchObject({
      actor: { type: 'staff', displayName: '济南市公安局历下分局 窗口 3' },
      fields: ['name', 'sex', 'ethnicity', 'birthDate', 'idNumberMasked'],
      purpose: 'hotel_check_in',
      result: 'ok',
      detail: { verdict: 'valid', format: 2, codePurpose: 'hotel_check_in' },
    });
  });

  // Each purpose's own code, and codes checked for another purpose than their own: verify-v2.test.ts.

  it('when a code is shown twice to the same staff member, then the second check is replayed; to another, valid', async () => {
    const code = codeOf(stack, holder);
    expect((await verify(code)).body.verdict).toBe('valid');
    const again = await verify(code);
    expect(again.body).toEqual({
      verdict: 'replayed',
      checkedAt: expect.any(Number),
      format: 2,
      issuer: expect.any(Object),
      codePurpose: 'hotel_check_in',
    });
    const other = await staffToken(stack, SECOND_STAFF);
    expect((await verify(code, 'hotel_check_in', other)).body.verdict).toBe('valid');
    const events = (await usageOf(holder)).filter((e) => e.action === 'card.verify');
    expect(
      events.some((e) => e.result === 'denied' && e.detail?.verdict === 'replayed' && e.fields.length === 0),
    ).toBe(true);
  });

  // Two app instances in this process over one connection; two real processes: multi-process.test.ts.
  it('when a code is replayed to a second app instance on the same database, then it is still replayed', async () => {
    await withSecondInstance(stack, async (other) => {
      const code = codeOf(stack, holder);
      expect((await verify(code)).body.verdict).toBe('valid');
      const res = await other('POST', '/api/v1/verify', {
        token: staff,
        body: { code, purpose: 'hotel_check_in' },
      });
      expect(res.body.verdict).toBe('replayed');
    });
  });

  it('when the replay cache is inspected, then it is the usage trace: the record of an accepted code holds its unique key', async () => {
    const indexes = await stack.deps.db.collection('usage_events').indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { once: 1 }, unique: true })]),
    );
    const accepted = await stack.deps.db
      .collection('usage_events')
      .findOne({ action: 'card.verify', 'detail.verdict': 'valid' });
    expect(accepted?.once).toMatch(/^[^:]+:[A-Za-z0-9_-]+$/);
    // A replay is recorded too, without a key of its own.
    const replayed = await stack.deps.db
      .collection('usage_events')
      .findOne({ action: 'card.verify', 'detail.verdict': 'replayed' });
    expect(replayed).not.toBeNull();
    expect(replayed?.once).toBeUndefined();
  });

  it('when the code is older than 60 seconds, then expired', async () => {
    const code = codeOf(stack, holder, stack.clock.now() - CODE_TTL_MS);
    expect((await verify(code)).body.verdict).toBe('expired');
  });

  it('when the device clock runs ahead beyond the tolerance, then not_yet_valid', async () => {
    const code = codeOf(stack, holder, stack.clock.now() + CLOCK_TOLERANCE_MS + 1000);
    expect((await verify(code)).body.verdict).toBe('not_yet_valid');
  });

  it('when the credential is presented by another device key, then bad_signature and nothing is disclosed', async () => {
    const thief = newDevice();
    const res = await verify(codeOf(stack, { device: thief, credential: holder.credential }));
    expect(res.body.verdict).toBe('bad_signature');
    expect(res.body.card).toBeUndefined();
  });

  it('when a byte of the code is altered, then bad_signature', async () => {
    const bytes = parseCodeV2(codeOf(stack, holder)).bytes.slice();
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 1;
    expect((await verify(`EID2:${base45Encode(bytes)}`)).body.verdict).toBe('bad_signature');
  });

  it('when the issuer key is not in the trust list, then unknown_issuer', async () => {
    const rogue = ed25519.keyPairFromSeed(new Uint8Array(32).fill(3));
    const forged = reissued(
      stack,
      holder,
      {},
      {
        kid: 'rogue-37-1',
        sign: (tbs) => ed25519.sign(rogue.secretKey, tbs),
      },
    );
    const res = await verify(codeOf(stack, { ...holder, credential: forged }));
    expect(res.body).toEqual({ verdict: 'unknown_issuer', checkedAt: expect.any(Number), format: 2 });
  });

  it.each(['not a code', 'EID1:', 'EID2:', `EID2:${'A'.repeat(40)}`, `HC1:${'A'.repeat(40)}`])(
    'when the code is %j, then malformed',
    async (code) => {
      expect((await verify(code)).body.verdict).toBe('malformed');
    },
  );

  it('when our key signed a card this node has no record of, then status_unknown', async () => {
    const credential = reissued(stack, holder, { cardId: new Uint8Array(16).fill(9) });
    const res = await verify(codeOf(stack, { ...holder, credential }));
    expect(res.body.verdict).toBe('status_unknown');
  });

  it('when the card is suspended and then replaced, then the verdicts are suspended and revoked, each traced as denied', async () => {
    const h = await holderWithCard(stack);
    await stack.api('POST', '/api/v1/card/suspend', { token: h.token, body: {} });
    expect((await verify(codeOf(stack, h))).body).toEqual({
      verdict: 'suspended',
      checkedAt: expect.any(Number),
      format: 2,
      issuer: expect.any(Object),
      codePurpose: 'hotel_check_in',
    });
    await stack.api('POST', '/api/v1/card/resume', {
      token: h.token,
      body: { reauthToken: await reauthToken(stack, h.token) },
    });
    const replaced = await issue(stack, h.token, newDevice(), await reauthToken(stack, h.token));
    expect(replaced.status).toBe(200);
    expect((await verify(codeOf(stack, h))).body.verdict).toBe('revoked');
    const verdicts = (await usageOf(h))
      .filter((e) => e.action === 'card.verify')
      .map((e) => [e.result, e.detail?.verdict]);
    expect(verdicts).toEqual(
      expect.arrayContaining([
        ['denied', 'suspended'],
        ['denied', 'revoked'],
      ]),
    );
  });

  it('when the caller is not signed in as staff, then 401 and no verdict', async () => {
    const anonymous = await stack.api('POST', '/api/v1/verify', {
      body: { code: codeOf(stack, holder), purpose: 'finance' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    const asResident = await verify(codeOf(stack, holder), 'finance', holder.token);
    expect(asResident.status).toBe(401);
    expect(asResident.body.code).toBe('TOKEN_INVALID');
  });

  it.each([
    ['an unpublished purpose', { code: 'x', purpose: 'sightseeing' }, 'PURPOSE_UNKNOWN'],
    ['no purpose', { code: 'x' }, 'VALIDATION_FAILED'],
    ['a query operator as code', { code: { $gt: '' }, purpose: 'finance' }, 'VALIDATION_FAILED'],
    ['an extra field', { code: 'x', purpose: 'finance', extra: 1 }, 'VALIDATION_FAILED'],
    ['a 5000-character code', { code: 'x'.repeat(5000), purpose: 'finance' }, 'VALIDATION_FAILED'],
  ])('when the body has %s, then 400 %s', async (_what, body, code) => {
    const res = await stack.api('POST', '/api/v1/verify', { token: staff, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  it('when codes are checked, then no log line carries the name, the ID number or the code', async () => {
    const code = codeOf(stack, holder);
    await verify(code, 'household_registration');
    const logs = stack.logs.join('\n');
    expect(logs).not.toContain(holder.person.name);
    expect(logs).not.toContain(holder.person.idNumber);
    expect(logs).not.toContain(code.slice(5, 60));
  });
});
