import { base64urlDecode, openRegistryKeys, verifyRegistration, tweetnaclEd25519 } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { adminCall, newPartyKey, partyRegistration, registerParty, staffToken } from '../../helpers/party';

// Admin staff register relying parties: checked input, keys under unique ids, a signed registration.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
});
afterAll(() => stack.stop());

it('when a supervisor registers a party, then it gets an id, a whsec_ secret shown once and a registration signed by a published key', async () => {
  const hotel = await registerParty(stack);
  expect(hotel.party).toMatchObject({
    id: expect.stringMatching(/^rp_[A-Za-z0-9_-]{16}$/),
    category: 'hotel',
    status: 'active',
    keys: [{ kid: hotel.kid, publicKey: hotel.publicKey }],
    limits: { perMinute: stack.config.PARTY_RATE_PER_MINUTE, perDay: stack.config.PARTY_QUOTA_PER_DAY },
  });
  expect(hotel.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(hotel.party.webhookSecrets).toHaveLength(1);
  expect(JSON.stringify(hotel.party)).not.toContain(hotel.webhookSecret);

  const keysDoc = await stack.api('GET', '/api/v1/party-registry-keys');
  expect(keysDoc.status).toBe(200);
  const registryKeys = openRegistryKeys(keysDoc.body, stack.deps.keys.trustRootPublicKey(), tweetnaclEd25519);
  expect(registryKeys).toHaveLength(1);
  const reg = hotel.party.registration;
  expect(reg.payload).toMatchObject({ v: 1, partyId: hotel.party.id, version: 1, kids: [hotel.kid] });
  expect(verifyRegistration(reg, registryKeys!, tweetnaclEd25519)).toBe(true);
  expect(
    verifyRegistration(
      { ...reg, payload: { ...reg.payload, retentionDays: 9999 } },
      registryKeys!,
      tweetnaclEd25519,
    ),
  ).toBe(false);

  const own = await hotel.signed('GET', '/api/v1/rp/registration');
  expect(own.status).toBe(200);
  expect(own.body).toEqual(reg);

  const view = await adminCall(stack, 'GET', `/api/v1/admin/parties/${hotel.party.id}`);
  expect(view.status).toBe(200);
  expect(view.body.registration).toEqual(reg);
  const list = await adminCall(stack, 'GET', '/api/v1/admin/parties');
  expect(list.body.parties.map((p: { id: string }) => p.id)).toContain(hotel.party.id);
  expect(base64urlDecode(hotel.publicKey)).toHaveLength(32);
});

it('when anyone but a supervisor calls the admin API, then it is refused: no token 401, a verifier 403', async () => {
  const key = newPartyKey();
  expectError(
    await stack.api('POST', '/api/v1/admin/parties', { body: partyRegistration(key) }),
    401,
    'UNAUTHENTICATED',
  );
  const verifier = await staffToken(stack, 'officer');
  expectError(
    await stack.api('POST', '/api/v1/admin/parties', { token: verifier, body: partyRegistration(key) }),
    403,
    'FORBIDDEN',
  );
  expectError(await stack.api('GET', '/api/v1/admin/parties', { token: verifier }), 403, 'FORBIDDEN');
});

describe('when the registration input is not acceptable, then it is refused and nothing is stored', () => {
  const register = async (change: (body: Record<string, unknown>) => void) => {
    const body = partyRegistration(newPartyKey()) as unknown as Record<string, unknown>;
    change(body);
    return adminCall(stack, 'POST', '/api/v1/admin/parties', body);
  };
  const count = () => stack.deps.db.collection('parties').countDocuments();

  it('a bad credit code, an unknown category, a bad key or a repeated key id: 400 VALIDATION_FAILED', async () => {
    const before = await count();
    const smallOrder = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]).toString('base64url');
    const another = newPartyKey();
    for (const [what, change] of [
      [
        'uscc check character',
        (b) => (b.uscc = `${String(b.uscc).slice(0, 17)}${String(b.uscc).endsWith('0') ? '1' : '0'}`),
      ],
      ['uscc form', (b) => (b.uscc = '12345')],
      ['category', (b) => (b.category = 'casino')],
      ['small-order key', (b) => (b.keys = [{ kid: 'k-small', publicKey: smallOrder }])],
      ['short key', (b) => (b.keys = [{ kid: 'k-short', publicKey: 'AAAA' }])],
      ['kid form', (b) => (b.keys = [{ kid: 'has space', publicKey: another.publicKey }])],
      [
        'repeated kid',
        (b) =>
          (b.keys = [
            { kid: another.kid, publicKey: another.publicKey },
            { kid: another.kid, publicKey: newPartyKey().publicKey },
          ]),
      ],
      [
        'three keys',
        (b) =>
          (b.keys = [1, 2, 3].map(() => {
            const k = newPartyKey();
            return { kid: k.kid, publicKey: k.publicKey };
          })),
      ],
      ['no keys', (b) => (b.keys = [])],
      ['retention', (b) => (b.retentionDays = 0)],
      ['limits', (b) => (b.limits = { perMinute: 0 })],
      ['unknown field', (b) => (b.owner = 'x')],
      ['query operator', (b) => (b.name = { $gt: '' })],
    ] as [string, (b: Record<string, unknown>) => void][]) {
      const res = await register(change);
      expect([what, res.status, res.body.code]).toEqual([what, 400, 'VALIDATION_FAILED']);
    }
    expect(await count()).toBe(before);
  });

  it('a grant beyond what the purpose needs, an unknown purpose, scope or document type: 400 PARTY_GRANT_INVALID with the problems', async () => {
    const before = await count();
    const overreach = await register(
      (b) => (b.grants = [{ purpose: 'hotel_check_in', scopes: ['card_face'] }]),
    );
    expectError(overreach, 400, 'PARTY_GRANT_INVALID');
    expect(overreach.body.details.problems).toEqual([expect.stringContaining('card_face')]);
    for (const grants of [
      [{ purpose: 'no_such_purpose', scopes: ['result'] }],
      [{ purpose: 'hotel_check_in', scopes: ['shoe_size'] }],
      [{ purpose: 'government_services', scopes: ['document:no_such_type'] }],
      [
        { purpose: 'hotel_check_in', scopes: ['result'] },
        { purpose: 'hotel_check_in', scopes: ['age_over_18'] },
      ],
    ]) {
      expectError(await register((b) => (b.grants = grants)), 400, 'PARTY_GRANT_INVALID');
    }
    expect(await count()).toBe(before);
  });

  it('a callback URL the BFF must not call: 400 CALLBACK_URL_REFUSED with the reason; an allow-listed http host is accepted', async () => {
    for (const [url, reason] of [
      ['http://hotel.example.com/cb', 'not_https'],
      ['https://10.1.2.3/cb', 'internal_address'],
      ['https://0x0a000001/cb', 'internal_address'],
      ['https://[::ffff:10.0.0.1]/cb', 'internal_address'],
      ['https://localhost/cb', 'localhost'],
      ['ftp://hotel.example.com/cb', 'scheme'],
      ['https://user:pw@hotel.example.com/cb', 'credentials'],
      ['not a url', 'malformed'],
    ]) {
      const res = await register((b) => (b.callbackUrl = url));
      expect([url, res.status, res.body.code, res.body.details?.reason]).toEqual([
        url,
        400,
        'CALLBACK_URL_REFUSED',
        reason,
      ]);
    }
    const local = await register((b) => (b.callbackUrl = 'http://127.0.0.1:8080/cb'));
    expect(local.status).toBe(201);
  });

  it('a key id another party holds: 409 PARTY_KEY_CONFLICT, and the other registration is untouched', async () => {
    const first = await registerParty(stack);
    const before = await count();
    const fresh = newPartyKey();
    const res = await register(
      (b) =>
        (b.keys = [
          { kid: fresh.kid, publicKey: fresh.publicKey },
          { kid: first.kid, publicKey: newPartyKey().publicKey },
        ]),
    );
    expectError(res, 409, 'PARTY_KEY_CONFLICT');
    expect(res.body.details.kid).toBe(first.kid);
    expect(await count()).toBe(before);
    // The key inserted before the conflict was found is gone again; the holder's key is still its own.
    const keys = stack.deps.db.collection<{ _id: string; partyId: string }>('party_keys');
    expect(await keys.countDocuments({ _id: fresh.kid })).toBe(0);
    expect((await keys.findOne({ _id: first.kid }))?.partyId).toBe(first.party.id);
    expect((await first.signed('GET', '/api/v1/rp/registration')).status).toBe(200);
  });

  it('a government body with a document scope and custom limits is registered as given', async () => {
    const res = await register((b) => {
      b.category = 'government';
      b.grants = [
        { purpose: 'household_registration', scopes: ['result', 'card_face', 'document:household_register'] },
      ];
      b.limits = { perMinute: 7, perDay: 70 };
    });
    expect(res.status).toBe(201);
    expect(res.body.party).toMatchObject({ category: 'government', limits: { perMinute: 7, perDay: 70 } });
    expect((await stack.services.parties.get(res.body.party.id))?.government).toBe(true);
  });
});
