import { KEY_WARNING_DAYS, type NationalTrustList, type ProvinceKeysView } from '@eid/shared';
import { loadConfig } from '@eid/bff/config';
import { manualClock } from '@eid/bff/infra/clock';
import { createKeyStore } from '@eid/bff/infra/keystore';
import { keysReport } from '@eid/bff/modules/admin-keys/report';
import { expectError } from '../helpers/enrollment';
import { staffToken } from '../helpers/party';
import { startStack, type Stack } from '../helpers/stack';

// The admin keys page's answer (issue 19 §7): this province's keys by id, their ends, and the trust list.
const DAY = 24 * 3600_000;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

it('when an administrator asks, then every key the node holds is listed by id and use with its public half only', async () => {
  const res = await stack.api('GET', '/api/v1/admin/keys', {
    token: await staffToken(stack, 'administrator'),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const view = res.body as ProvinceKeysView;
  expect(view.province).toBe(stack.config.PROVINCE_CODE);
  const uses = new Set(view.keys.map((k) => k.use));
  for (const use of ['issuer', 'node', 'trust_root', 'party_registry', 'callback', 'licence_client'])
    expect(uses).toContain(use);
  const issuer = view.keys.find((k) => k.kid === stack.deps.keys.activeIssuerKid())!;
  expect(issuer).toMatchObject({ use: 'issuer', publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  // A standalone node has no national list: no end is known, so nothing is warned about.
  expect(view.trustList).toBeNull();
  for (const key of view.keys) expect(key).toMatchObject({ daysLeft: null, warning: false });
});

it('when an auditor asks, then the keys are answered too; an officer, a supervisor or a national operator is refused', async () => {
  const auditor = await stack.api('GET', '/api/v1/admin/keys', { token: await staffToken(stack, 'auditor') });
  expect(auditor.status).toBe(200);
  for (const role of ['officer', 'supervisor', 'national_operator'] as const) {
    const res = await stack.api('GET', '/api/v1/admin/keys', { token: await staffToken(stack, role) });
    expectError(res, 403, 'FORBIDDEN');
  }
  expectError(await stack.api('GET', '/api/v1/admin/keys'), 401, 'UNAUTHENTICATED');
  const withQuery = await stack.api('GET', '/api/v1/admin/keys?all=1', {
    token: await staffToken(stack, 'auditor'),
  });
  expectError(withQuery, 400, 'VALIDATION_FAILED');
});

describe('the warning', () => {
  const now = Date.UTC(2026, 11, 1);
  const pk = new Uint8Array(32).fill(7);
  const listKey = (kid: string, use: 'issuer' | 'node', notAfter?: number) => ({
    kid,
    province: '37',
    use,
    publicKey: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
    notBefore: now - 300 * DAY,
    ...(notAfter !== undefined && { notAfter }),
    status: 'active' as const,
    history: [],
  });
  const list: NationalTrustList = {
    v: 2,
    sequence: 7,
    issuedAt: now - DAY,
    expiresAt: now + DAY,
    provinces: [
      { province: '37', name: '山东省', url: 'http://127.0.0.1:1' },
      { province: '42', name: '湖北省', url: 'http://127.0.0.1:2' },
    ],
    keys: [
      listKey('iss-soon', 'issuer', now + (KEY_WARNING_DAYS - 1) * DAY + 3600_000),
      listKey('iss-edge', 'issuer', now + KEY_WARNING_DAYS * DAY),
      listKey('node-open', 'node'),
      { ...listKey('iss-42', 'issuer'), province: '42' },
    ],
  };

  it('when a listed key ends in fewer than 90 days, then it is warned about and listed first; at 90 days or with no end, not', () => {
    const view = keysReport({
      now,
      province: '37',
      list,
      held: [
        { kid: 'node-open', use: 'node', publicKey: pk },
        { kid: 'iss-edge', use: 'issuer', publicKey: pk },
        { kid: 'iss-soon', use: 'issuer', publicKey: pk },
        { kid: 'unlisted', use: 'callback', publicKey: pk },
      ],
    });
    expect(view.keys.map((k) => [k.kid, k.daysLeft, k.warning])).toEqual([
      ['iss-soon', KEY_WARNING_DAYS - 1, true],
      ['unlisted', null, false],
      ['iss-edge', KEY_WARNING_DAYS, false],
      ['node-open', null, false],
    ]);
    expect(view.keys[0]).toMatchObject({ notBefore: now - 300 * DAY, status: 'active' });
    expect(view.trustList).toEqual({
      sequence: 7,
      issuedAt: list.issuedAt,
      expiresAt: list.expiresAt,
      provinces: [
        { province: '37', name: '山东省', issuerKids: ['iss-soon', 'iss-edge'] },
        { province: '42', name: '湖北省', issuerKids: ['iss-42'] },
      ],
    });
  });

  it('when a key is past its end, then its days left are negative and it is warned about', () => {
    const view = keysReport({
      now: now + 200 * DAY,
      province: '37',
      list,
      held: [{ kid: 'iss-soon', use: 'issuer', publicKey: pk }],
    });
    expect(view.keys[0]!.daysLeft).toBeLessThan(0);
    expect(view.keys[0]!.warning).toBe(true);
  });
});

describe('an issuer key whose end this node configures (EID_ISSUER_KEYS kid:province:seed:YYYY-MM-DD)', () => {
  const seed = Buffer.alloc(32, 9).toString('base64');
  // 2026-12-01 10:00 Beijing; the key's last day is 2027-01-30: 60 days and some hours left.
  const startAt = Date.UTC(2026, 11, 1, 2);
  let own: Stack;
  beforeAll(async () => {
    own = await startStack({ startAt, env: { EID_ISSUER_KEYS: `iss-37-b:37:${seed}:2027-01-30` } });
  });
  afterAll(() => own?.stop());

  it('when a standalone node holds a key ending in 60 days, then the keys page warns about it with its end and days left', async () => {
    const res = await own.api('GET', '/api/v1/admin/keys', { token: await staffToken(own, 'administrator') });
    expect(res.status).toBe(200);
    const issuer = (res.body as ProvinceKeysView).keys[0]!;
    expect(issuer).toMatchObject({
      kid: 'iss-37-b',
      use: 'issuer',
      // The end of 2027-01-30 in Beijing.
      notAfter: Date.UTC(2027, 0, 30, 16) - 1,
      daysLeft: 60,
      warning: true,
    });
  });

  it('when the date is not a real day, then the key store refuses the configuration naming EID_ISSUER_KEYS', () => {
    for (const bad of ['2027-02-30', '2027-1-30', 'soon', '2027-01-30:extra'])
      expect(() =>
        createKeyStore(
          loadConfig({ NODE_ENV: 'test', EID_ISSUER_KEYS: `iss-37-b:37:${seed}:${bad}` }),
          manualClock(startAt),
        ),
      ).toThrow(/EID_ISSUER_KEYS/);
  });
});
