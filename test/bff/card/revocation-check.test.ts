import { createLeases } from '@eid/bff/infra/lease';
import { createServices } from '@eid/bff/app';
import { startStack, type Stack } from '../../helpers/stack';
import { holderWithCard, offlineVerdict } from '../../helpers/card-flow';

// Card: the registry revocation check. One stack (BFF, stand-ins, database) serves every test of this file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when the registry reports a holder cancelled or deceased, then the revocation check revokes that card only', async () => {
  const cancelled = await holderWithCard(stack);
  const deceased = await holderWithCard(stack);
  const untouched = await holderWithCard(stack);
  stack.mocks.registry.setStatus(cancelled.person.idNumber, 'cancelled');
  stack.mocks.registry.setStatus(deceased.person.idNumber, 'deceased');
  try {
    // Another instance over the same database, as the scheduler in another process would run it.
    const checker = createServices(stack.deps).card;
    const result = await checker.revocationCheck();
    expect(result).toMatchObject({ revoked: 2, failed: 0, skipped: false });
    expect(result.checked).toBeGreaterThanOrEqual(3);
    expect((await offlineVerdict(stack, cancelled)).verdict).toBe('revoked');
    expect((await offlineVerdict(stack, deceased)).verdict).toBe('revoked');
    expect((await offlineVerdict(stack, untouched)).verdict).toBe('valid');
    const again = await checker.revocationCheck();
    expect(again.revoked).toBe(0);

    const trace = await stack.api('GET', '/api/v1/usage?limit=50', { token: deceased.token });
    const revoke = trace.body.items.find((e: { action: string }) => e.action === 'card.revoke');
    expect(revoke).toMatchObject({
      actor: { type: 'system', id: 'revocation-check' },
      detail: { reason: 'registry_deceased' },
    });
  } finally {
    stack.mocks.registry.reset();
  }
});

it('when the revocation check runs on a timer, then it revokes without anyone calling it', async () => {
  const holder = await holderWithCard(stack);
  stack.mocks.registry.setStatus(holder.person.idNumber, 'cancelled');
  const stop = createServices(stack.deps).card.startRevocationChecks(20);
  try {
    let verdict = '';
    for (let i = 0; i < 200 && verdict !== 'revoked'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      verdict = (await offlineVerdict(stack, holder)).verdict;
    }
    expect(verdict).toBe('revoked');
  } finally {
    await stop();
    stack.mocks.registry.reset();
  }
});

it('when another process holds the revocation lease, then a second check does nothing', async () => {
  const leases = createLeases(stack.deps.db, stack.clock);
  expect(await leases.acquire('card.revocation-check', 'another-process', 60_000)).toBe(true);
  const result = await createServices(stack.deps).card.revocationCheck();
  expect(result).toEqual({ checked: 0, revoked: 0, failed: 0, skipped: true });
  // The skipped check left the lease to its holder: it renews it, and a third process still cannot take it.
  expect(await leases.acquire('card.revocation-check', 'another-process', 60_000)).toBe(true);
  expect(await leases.acquire('card.revocation-check', 'a-third-process', 60_000)).toBe(false);
  await leases.release('card.revocation-check', 'another-process');
});
