import { startStack, type Stack } from '../../helpers/stack';
import { adminCall, registerParty } from '../../helpers/party';

// Webhook secrets rotate with an overlap: old and new sign side by side, then only the new one.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

it('when the webhook secret is rotated, then both secrets sign during the overlap and only the new one after', async () => {
  const hotel = await registerParty(stack);
  const parties = stack.services.parties;
  expect(await parties.webhookSecretsOf(hotel.party.id)).toEqual([hotel.webhookSecret]);

  const rotated = await adminCall(stack, 'POST', `/api/v1/admin/parties/${hotel.party.id}/webhook-secrets`, {
    overlapMs: 3600_000,
  });
  expect(rotated.status).toBe(200);
  expect(rotated.headers.get('cache-control')).toBe('no-store');
  const fresh = rotated.body.webhookSecret as string;
  expect(fresh).toMatch(/^whsec_/);
  expect(fresh).not.toBe(hotel.webhookSecret);
  expect(rotated.body.party.webhookSecrets).toEqual([
    { id: expect.any(String), createdAt: stack.clock.now() },
    {
      id: hotel.party.webhookSecrets[0]!.id,
      createdAt: expect.any(Number),
      retiresAt: stack.clock.now() + 3600_000,
    },
  ]);
  expect(await parties.webhookSecretsOf(hotel.party.id)).toEqual([fresh, hotel.webhookSecret]);

  stack.clock.advance(3600_000 - 1);
  expect(await parties.webhookSecretsOf(hotel.party.id)).toEqual([fresh, hotel.webhookSecret]);
  stack.clock.advance(1);
  expect(await parties.webhookSecretsOf(hotel.party.id)).toEqual([fresh]);
  const view = await adminCall(stack, 'GET', `/api/v1/admin/parties/${hotel.party.id}`);
  expect(view.body.webhookSecrets).toHaveLength(1);
  // Secrets are stored sealed: neither text is in the database.
  const stored = JSON.stringify(await stack.deps.db.collection('parties').find({}).toArray());
  expect(stored).not.toContain(fresh.slice(6));
  expect(stored).not.toContain(hotel.webhookSecret.slice(6));
});

it('when a rotation gives no overlap, then the old secret signs for 24 hours beside the new one', async () => {
  const hotel = await registerParty(stack);
  const rotated = await adminCall(
    stack,
    'POST',
    `/api/v1/admin/parties/${hotel.party.id}/webhook-secrets`,
    {},
  );
  const fresh = rotated.body.webhookSecret as string;
  stack.clock.advance(24 * 3600_000 - 1);
  expect(await stack.services.parties.webhookSecretsOf(hotel.party.id)).toEqual([fresh, hotel.webhookSecret]);
  stack.clock.advance(1);
  expect(await stack.services.parties.webhookSecretsOf(hotel.party.id)).toEqual([fresh]);
  expect(await stack.services.parties.webhookSecretsOf('rp_AAAAAAAAAAAAAAAA')).toEqual([]);
});
