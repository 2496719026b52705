import { tweetnaclEd25519, verifyRegistration, openRegistryKeys } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { adminCall, registerParty } from '../../helpers/party';

// Admin staff change a registration: what the statement says is signed again; suspension stops the party.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
});
afterAll(() => stack.stop());

const partyPath = (id: string) => `/api/v1/admin/parties/${id}`;

it('when the name, grants or retention change, then the registration is signed again with version + 1; other changes keep it', async () => {
  const hotel = await registerParty(stack);
  stack.clock.advance(1_000);
  const res = await adminCall(stack, 'PATCH', partyPath(hotel.party.id), {
    name: '泉城宾馆',
    grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] }],
    retentionDays: 90,
  });
  expect(res.status).toBe(200);
  const reg = res.body.registration;
  expect(reg.payload).toMatchObject({
    version: 2,
    name: '泉城宾馆',
    retentionDays: 90,
    signedAt: stack.clock.now(),
    grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] }],
  });
  const keys = openRegistryKeys(
    (await stack.api('GET', '/api/v1/party-registry-keys')).body,
    stack.deps.keys.trustRootPublicKey(),
    tweetnaclEd25519,
  )!;
  expect(verifyRegistration(reg, keys, tweetnaclEd25519)).toBe(true);
  // The party reads the new statement with its own signed request.
  expect((await hotel.signed('GET', '/api/v1/rp/registration')).body).toEqual(reg);

  const limits = await adminCall(stack, 'PATCH', partyPath(hotel.party.id), {
    limits: { perMinute: 5 },
    callbackUrl: 'http://127.0.0.1:9/callbacks',
  });
  expect(limits.status).toBe(200);
  expect(limits.body).toMatchObject({
    limits: { perMinute: 5, perDay: stack.config.PARTY_QUOTA_PER_DAY },
    callbackUrl: 'http://127.0.0.1:9/callbacks',
  });
  expect(limits.body.registration).toEqual(reg);
  // The same checks as at registration.
  expectError(
    await adminCall(stack, 'PATCH', partyPath(hotel.party.id), {
      grants: [{ purpose: 'hotel_check_in', scopes: ['card_face'] }],
    }),
    400,
    'PARTY_GRANT_INVALID',
  );
  expectError(
    await adminCall(stack, 'PATCH', partyPath(hotel.party.id), { callbackUrl: 'http://10.0.0.1/cb' }),
    400,
    'CALLBACK_URL_REFUSED',
  );
  expectError(
    await adminCall(stack, 'PATCH', partyPath('rp_AAAAAAAAAAAAAAAA'), { name: 'x' }),
    404,
    'NOT_FOUND',
  );
});

it('when a party is suspended, then its signed requests are refused with 403 PARTY_SUSPENDED until it is reinstated', async () => {
  const hotel = await registerParty(stack);
  expect((await hotel.signed('GET', '/api/v1/rp/registration')).status).toBe(200);
  const suspended = await adminCall(stack, 'PATCH', partyPath(hotel.party.id), { status: 'suspended' });
  expect(suspended.body.status).toBe('suspended');
  expectError(await hotel.signed('GET', '/api/v1/rp/registration'), 403, 'PARTY_SUSPENDED');
  expect((await stack.services.parties.get(hotel.party.id))?.status).toBe('suspended');
  await adminCall(stack, 'PATCH', partyPath(hotel.party.id), { status: 'active' });
  expect((await hotel.signed('GET', '/api/v1/rp/registration')).status).toBe(200);
});

it('when callbacks were disabled by a 410, then an admin enables them again', async () => {
  const hotel = await registerParty(stack);
  const at = stack.clock.now();
  await stack.services.parties.disableCallback(hotel.party.id, at);
  await stack.services.parties.disableCallback(hotel.party.id, at + 5);
  expect((await stack.services.parties.get(hotel.party.id))?.callbackDisabledAt).toBe(at);
  expect((await adminCall(stack, 'GET', partyPath(hotel.party.id))).body.callbackDisabledAt).toBe(at);
  const enabled = await adminCall(stack, 'POST', `${partyPath(hotel.party.id)}/callback/enable`, {});
  expect(enabled.status).toBe(200);
  expect(enabled.body).not.toHaveProperty('callbackDisabledAt');
  expect((await stack.services.parties.get(hotel.party.id))?.callbackDisabledAt).toBeUndefined();
});
