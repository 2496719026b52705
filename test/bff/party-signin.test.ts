import {
  openRegistryKeys,
  tweetnaclEd25519,
  verifyRegistration,
  type PartySignIn,
  type SignedPartyRegistration,
} from '@eid/shared';
import { startStack, type Stack } from '../helpers/stack';
import { expectError } from '../helpers/enrollment';
import { adminCall, newPartyKey, partyRegistration, registerParty } from '../helpers/party';

// A party registered for remote sign-in (issue 17): its redirect URIs, lowest level and purpose, checked,
// kept, and stated (origin and level) in its signed registration.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1, desk.hotel.test:8080' } });
});
afterAll(() => stack.stop());

const partyPath = (id: string) => `/api/v1/admin/parties/${id}`;
const HOTEL_SIGNIN: PartySignIn = {
  redirectUris: [
    'https://hotel.example.com/eid/signin/callback',
    'https://hotel.example.com/app/cb?from=eid',
  ],
  level: 2,
  purpose: 'hotel_check_in',
};
const TWO_GRANTS = [
  { purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id'] },
  { purpose: 'holder_only', scopes: ['result'] },
];

async function verifies(reg: SignedPartyRegistration): Promise<boolean> {
  const keys = openRegistryKeys(
    (await stack.api('GET', '/api/v1/party-registry-keys')).body,
    stack.deps.keys.trustRootPublicKey(),
    tweetnaclEd25519,
  );
  return verifyRegistration(reg, keys!, tweetnaclEd25519);
}

/** A registration attempt with `signIn`; the answer. */
function registerWith(signIn: unknown, grants = TWO_GRANTS) {
  const body = { ...partyRegistration(newPartyKey()), grants, signIn };
  return adminCall(stack, 'POST', '/api/v1/admin/parties', body);
}

function expectRefused(res: { status: number; body: any }, reason: string): void {
  expectError(res, 400, 'PARTY_SIGNIN_INVALID');
  expect(res.body.details).toEqual({ reason });
}

it('when a party is registered with sign-in, then its view, the party other modules see and its signed registration carry it', async () => {
  const hotel = await registerParty(stack, { signIn: HOTEL_SIGNIN });
  expect(hotel.party.signIn).toEqual(HOTEL_SIGNIN);
  expect((await adminCall(stack, 'GET', partyPath(hotel.party.id))).body.signIn).toEqual(HOTEL_SIGNIN);

  const reg = hotel.party.registration;
  expect(reg.payload.signIn).toEqual({ origin: 'https://hotel.example.com', level: 2 });
  expect(await verifies(reg)).toBe(true);
  // The statement is signed with what it says of sign-in: a changed origin or level no longer verifies.
  expect(
    await verifies({
      ...reg,
      payload: { ...reg.payload, signIn: { origin: 'https://evil.example', level: 2 } },
    }),
  ).toBe(false);
  expect(
    await verifies({ ...reg, payload: { ...reg.payload, signIn: { ...reg.payload.signIn!, level: 1 } } }),
  ).toBe(false);
  expect((await hotel.signed('GET', '/api/v1/rp/registration')).body).toEqual(reg);

  const seen = await stack.services.parties.get(hotel.party.id);
  expect(seen?.signIn).toEqual(HOTEL_SIGNIN);
  expect(seen?.registration).toEqual(reg);
});

it('when a party is registered without sign-in, then nothing of sign-in is shown or signed', async () => {
  const hotel = await registerParty(stack);
  expect(hotel.party).not.toHaveProperty('signIn');
  expect(Object.keys(hotel.party.registration.payload).sort()).toEqual([
    'category',
    'grants',
    'kids',
    'name',
    'partyId',
    'retentionDays',
    'signedAt',
    'uscc',
    'v',
    'version',
  ]);
  expect(await verifies(hotel.party.registration)).toBe(true);
  expect(await stack.services.parties.get(hotel.party.id)).not.toHaveProperty('signIn');
});

const uris = (...redirectUris: string[]): PartySignIn => ({ ...HOTEL_SIGNIN, redirectUris });

it.each<[string, unknown, string]>([
  ['no redirect URI', uris(), 'count'],
  ['six redirect URIs', uris(...[1, 2, 3, 4, 5, 6].map((n) => `https://hotel.example.com/cb/${n}`)), 'count'],
  ['a URI twice', uris('https://hotel.example.com/cb', 'https://hotel.example.com/cb'), 'duplicate'],
  ['a relative URI', uris('/eid/signin/callback'), 'malformed'],
  ['not a URI', uris('hotel example'), 'malformed'],
  ['another scheme', uris('com.hotel.app:/signin'), 'scheme'],
  ['javascript:', uris('javascript:alert(1)'), 'scheme'],
  ['user info', uris('https://desk:pw@hotel.example.com/cb'), 'credentials'],
  ['a fragment', uris('https://hotel.example.com/cb#done'), 'fragment'],
  ['an empty fragment', uris('https://hotel.example.com/cb#'), 'fragment'],
  ['plain http to a host not allowed', uris('http://hotel.example.com/cb'), 'not_https'],
  ['plain http to an allowed host on another port', uris('http://desk.hotel.test/cb'), 'not_https'],
  ['a URI not in normal form', uris('https://Hotel.Example.com/cb'), 'not_normalised'],
  ['an origin without its path', uris('https://hotel.example.com'), 'not_normalised'],
  ['two hosts', uris('https://hotel.example.com/cb', 'https://www.hotel.example.com/cb'), 'origins'],
  ['two ports', uris('https://hotel.example.com/cb', 'https://hotel.example.com:8443/cb'), 'origins'],
  ['https and http', uris('https://127.0.0.1/cb', 'http://127.0.0.1/cb'), 'origins'],
  ['level 0', { ...HOTEL_SIGNIN, level: 0 }, 'level'],
  ['level 4', { ...HOTEL_SIGNIN, level: 4 }, 'level'],
  ['level 2.5', { ...HOTEL_SIGNIN, level: 2.5 }, 'level'],
  ['a purpose it has no grant for', { ...HOTEL_SIGNIN, purpose: 'finance' }, 'purpose'],
  ['an unknown purpose', { ...HOTEL_SIGNIN, purpose: 'no_such_purpose' }, 'purpose'],
])(
  'when the sign-in has %s, then the registration is refused with PARTY_SIGNIN_INVALID',
  async (_what, signIn, reason) => {
    expectRefused(await registerWith(signIn), reason);
  },
);

it('when the sign-in is not of the right form, then it is refused as any malformed body is', async () => {
  expectError(await registerWith({ ...HOTEL_SIGNIN, extra: 1 }), 400, 'VALIDATION_FAILED');
  expectError(await registerWith({ ...HOTEL_SIGNIN, level: '2' }), 400, 'VALIDATION_FAILED');
  expectError(
    await registerWith({ redirectUris: HOTEL_SIGNIN.redirectUris, level: 1 }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(await registerWith(null), 400, 'VALIDATION_FAILED');
});

it('when redirect URIs are plain http, then they are taken only for hosts in CALLBACK_ALLOW_HOSTS', async () => {
  for (const redirectUris of [
    ['http://127.0.0.1:4100/signin/callback', 'http://127.0.0.1:4100/signin/other'],
    ['http://desk.hotel.test:8080/cb'],
  ]) {
    const res = await registerWith({ ...HOTEL_SIGNIN, redirectUris });
    expect(res.status).toBe(201);
    expect(res.body.party.signIn.redirectUris).toEqual(redirectUris);
    expect(res.body.party.registration.payload.signIn.origin).toBe(new URL(redirectUris[0]!).origin);
  }
  // https to any public host, also one not allowed for plain http, and up to five URIs.
  const five = [1, 2, 3, 4, 5].map((n) => `https://hotel.example.com/cb/${n}`);
  expect((await registerWith({ ...HOTEL_SIGNIN, redirectUris: five })).status).toBe(201);
});

it('when sign-in is set, changed and removed by PATCH, then each change of origin or level signs the registration again', async () => {
  const hotel = await registerParty(stack, { grants: TWO_GRANTS });
  const path = partyPath(hotel.party.id);
  stack.clock.advance(1_000);

  const set = await adminCall(stack, 'PATCH', path, { signIn: HOTEL_SIGNIN });
  expect(set.status).toBe(200);
  expect(set.body.signIn).toEqual(HOTEL_SIGNIN);
  expect(set.body.registration.payload).toMatchObject({
    version: 2,
    signedAt: stack.clock.now(),
    signIn: { origin: 'https://hotel.example.com', level: 2 },
  });
  expect(await verifies(set.body.registration)).toBe(true);

  stack.clock.advance(1_000);
  const raised = await adminCall(stack, 'PATCH', path, {
    signIn: { redirectUris: ['https://id.hotel.example.com/cb'], level: 3, purpose: 'holder_only' },
  });
  expect(raised.body.signIn).toEqual({
    redirectUris: ['https://id.hotel.example.com/cb'],
    level: 3,
    purpose: 'holder_only',
  });
  expect(raised.body.registration.payload).toMatchObject({
    version: 3,
    signIn: { origin: 'https://id.hotel.example.com', level: 3 },
  });
  expect(await verifies(raised.body.registration)).toBe(true);
  expect((await stack.services.parties.get(hotel.party.id))?.signIn?.level).toBe(3);

  // A path or purpose change says nothing new in the statement: kept, not signed again.
  const moved = await adminCall(stack, 'PATCH', path, {
    signIn: { redirectUris: ['https://id.hotel.example.com/cb2'], level: 3, purpose: 'hotel_check_in' },
  });
  expect(moved.body.signIn.redirectUris).toEqual(['https://id.hotel.example.com/cb2']);
  expect(moved.body.registration).toEqual(raised.body.registration);

  // A refused change leaves everything as it was.
  expectRefused(await adminCall(stack, 'PATCH', path, { signIn: { ...HOTEL_SIGNIN, level: 4 } }), 'level');
  expectRefused(
    await adminCall(stack, 'PATCH', path, { signIn: uris('http://hotel.example.com/cb') }),
    'not_https',
  );
  expect((await adminCall(stack, 'GET', path)).body).toMatchObject({
    signIn: moved.body.signIn,
    registration: raised.body.registration,
  });

  stack.clock.advance(1_000);
  const removed = await adminCall(stack, 'PATCH', path, { signIn: null });
  expect(removed.status).toBe(200);
  expect(removed.body).not.toHaveProperty('signIn');
  expect(removed.body.registration.payload.version).toBe(4);
  expect(removed.body.registration.payload).not.toHaveProperty('signIn');
  expect(await verifies(removed.body.registration)).toBe(true);
  expect((await adminCall(stack, 'GET', path)).body).not.toHaveProperty('signIn');
  expect(await stack.services.parties.get(hotel.party.id)).not.toHaveProperty('signIn');
  // Removing what is not there changes nothing.
  const again = await adminCall(stack, 'PATCH', path, { signIn: null });
  expect(again.body.registration).toEqual(removed.body.registration);
});

it('when a PATCH removes the grant sign-in is recorded under, then it is refused unless the same PATCH moves or removes sign-in', async () => {
  const hotel = await registerParty(stack, { grants: TWO_GRANTS, signIn: HOTEL_SIGNIN });
  const path = partyPath(hotel.party.id);
  const onlyHolder = [{ purpose: 'holder_only', scopes: ['result'] }];

  expectRefused(await adminCall(stack, 'PATCH', path, { grants: onlyHolder }), 'purpose');
  const unchanged = (await adminCall(stack, 'GET', path)).body;
  expect(unchanged.grants).toEqual(TWO_GRANTS);
  expect(unchanged.registration).toEqual(hotel.party.registration);
  // A new sign-in whose purpose is also dropped is refused the same way.
  expectRefused(
    await adminCall(stack, 'PATCH', path, { grants: onlyHolder, signIn: { ...HOTEL_SIGNIN, level: 1 } }),
    'purpose',
  );

  const moved = await adminCall(stack, 'PATCH', path, {
    grants: onlyHolder,
    signIn: { ...HOTEL_SIGNIN, purpose: 'holder_only' },
  });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ grants: onlyHolder, signIn: { purpose: 'holder_only' } });
  expect(moved.body.registration.payload).toMatchObject({ version: 2, grants: onlyHolder });

  const other = await registerParty(stack, { grants: TWO_GRANTS, signIn: HOTEL_SIGNIN });
  const dropped = await adminCall(stack, 'PATCH', partyPath(other.party.id), {
    grants: onlyHolder,
    signIn: null,
  });
  expect(dropped.status).toBe(200);
  expect(dropped.body).not.toHaveProperty('signIn');
  expect(dropped.body.registration.payload).not.toHaveProperty('signIn');
  // A change of grants that keeps the purpose is taken with sign-in as it is.
  const kept = await adminCall(stack, 'PATCH', path, {
    grants: [...onlyHolder, { purpose: 'hotel_check_in', scopes: ['result'] }],
  });
  expect(kept.status).toBe(200);
  expect(kept.body.signIn).toEqual(moved.body.signIn);
});

it('when a key is retired, then activeKeysOf lists it until its time and no longer from then on', async () => {
  const hotel = await registerParty(stack, { signIn: HOTEL_SIGNIN });
  const registeredAt = stack.clock.now();
  // Keys are listed in the order they were added.
  stack.clock.advance(1_000);
  const next = newPartyKey();
  const keysPath = `${partyPath(hotel.party.id)}/keys`;
  expect(
    (await adminCall(stack, 'POST', keysPath, { kid: next.kid, publicKey: next.publicKey })).status,
  ).toBe(200);
  const kids = async (at: number) =>
    (await stack.services.parties.activeKeysOf(hotel.party.id, at)).map((k) => k.kid);

  const now = stack.clock.now();
  expect(await kids(now)).toEqual([hotel.kid, next.kid]);
  const at = now + 60_000;
  expect((await adminCall(stack, 'POST', `${keysPath}/${hotel.kid}/retire`, { at })).status).toBe(200);
  // Read from the database each time, judged at the time asked: no cached copy lets the key sign on.
  expect(await kids(at - 1)).toEqual([hotel.kid, next.kid]);
  expect(await kids(at)).toEqual([next.kid]);
  expect(await stack.services.parties.activeKeysOf(hotel.party.id, at - 1)).toContainEqual({
    kid: hotel.kid,
    publicKey: hotel.publicKey,
    addedAt: registeredAt,
    retiresAt: at,
  });
  expect(await stack.services.parties.activeKeysOf('rp_AAAAAAAAAAAAAAAA', now)).toEqual([]);
});
