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
  const verifier = await staffToken(stack, 'verifier');
  expectError(
    await stack.api('POST', '/api/v1/admin/parties', { token: verifier, body: partyRegistration(key) }),
    403,
    'FORBIDDEN',
  );
  expectError(await stack.api('GET', '/api/v1/admin/parties', { token: verifier }), 403, 'FORBIDDEN');
});
