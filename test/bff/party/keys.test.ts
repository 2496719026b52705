import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import {
  adminCall,
  newPartyKey,
  partyRegistration,
  registerParty,
  type RegisteredParty,
} from '../../helpers/party';

// Request-signing keys rotate without downtime: two active at once, the old one retired at a stated time.
let stack: Stack;
let hotel: RegisteredParty;
const REGISTRATION = '/api/v1/rp/registration';
beforeAll(async () => {
  stack = await startStack();
  hotel = await registerParty(stack);
});
afterAll(() => stack.stop());

const keysPath = () => `/api/v1/admin/parties/${hotel.party.id}/keys`;

it('when a key is rotated, then both keys sign until the old one retires at its stated time, and a third active key is refused', async () => {
  const next = newPartyKey();
  stack.clock.advance(1_000);
  const added = await adminCall(stack, 'POST', keysPath(), { kid: next.kid, publicKey: next.publicKey });
  expect(added.status).toBe(200);
  expect(added.body.keys.map((k: { kid: string }) => k.kid)).toEqual([hotel.kid, next.kid]);
  // Every change of the keys signs the registration again, naming the keys in use.
  expect(added.body.registration.payload).toMatchObject({ version: 2, kids: [hotel.kid, next.kid] });
  expect((await hotel.signed('GET', REGISTRATION, undefined, { key: next })).status).toBe(200);
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);

  const third = newPartyKey();
  expectError(
    await adminCall(stack, 'POST', keysPath(), { kid: third.kid, publicKey: third.publicKey }),
    409,
    'PARTY_KEY_LIMIT',
  );

  const at = stack.clock.now() + 60_000;
  const retired = await adminCall(stack, 'POST', `${keysPath()}/${hotel.kid}/retire`, { at });
  expect(retired.status).toBe(200);
  expect(retired.body.keys.find((k: { kid: string }) => k.kid === hotel.kid).retiresAt).toBe(at);
  expect(retired.body.registration.payload.version).toBe(3);
  // Before its time the old key still signs; from its time on it is refused, the new one still works.
  stack.clock.advance(59_000);
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  stack.clock.advance(1_000);
  expectError(await hotel.signed('GET', REGISTRATION), 401, 'SIGNATURE_RETIRED_KEY');
  expect((await hotel.signed('GET', REGISTRATION, undefined, { key: next })).status).toBe(200);

  // With one key retired, a new second key may be added; a retired key's time never moves back.
  expect(
    (await adminCall(stack, 'POST', keysPath(), { kid: third.kid, publicKey: third.publicKey })).status,
  ).toBe(200);
  const again = await adminCall(stack, 'POST', `${keysPath()}/${hotel.kid}/retire`, {
    at: stack.clock.now() + 3600_000,
  });
  expect(again.body.keys.find((k: { kid: string }) => k.kid === hotel.kid).retiresAt).toBe(at);
  expectError(await hotel.signed('GET', REGISTRATION), 401, 'SIGNATURE_RETIRED_KEY');
});

it('when a key id is taken by any party, or a retirement time is in the past, or the key is not the party’s, then it is refused', async () => {
  const other = await registerParty(stack);
  const fresh = newPartyKey();
  expectError(
    await adminCall(stack, 'POST', `/api/v1/admin/parties/${other.party.id}/keys`, {
      kid: hotel.kid,
      publicKey: fresh.publicKey,
    }),
    409,
    'PARTY_KEY_CONFLICT',
  );
  expectError(
    await adminCall(stack, 'POST', '/api/v1/admin/parties', partyRegistration({ ...fresh, kid: other.kid })),
    409,
    'PARTY_KEY_CONFLICT',
  );
  expectError(
    await adminCall(stack, 'POST', `/api/v1/admin/parties/${other.party.id}/keys/${other.kid}/retire`, {
      at: stack.clock.now() - 1,
    }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(
    await adminCall(stack, 'POST', `/api/v1/admin/parties/${other.party.id}/keys/${hotel.kid}/retire`, {}),
    404,
    'NOT_FOUND',
  );
  // Retired now (no time given): refused at once.
  const now = await adminCall(
    stack,
    'POST',
    `/api/v1/admin/parties/${other.party.id}/keys/${other.kid}/retire`,
    {},
  );
  expect(now.status).toBe(200);
  expectError(await other.signed('GET', REGISTRATION), 401, 'SIGNATURE_RETIRED_KEY');
});
