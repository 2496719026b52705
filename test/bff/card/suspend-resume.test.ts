import { startStack, type Stack } from '../../helpers/stack';
import { holderWithCard, issue, offlineVerdict, reauthToken } from '../../helpers/card-flow';

// Card: suspension and resumption. One stack (BFF, stand-ins, database) serves every test of this file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when the resident suspends the card and resumes it after a face check, then verifiers see suspended, then valid', async () => {
  const holder = await holderWithCard(stack);
  const suspended = await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
  expect(suspended.status).toBe(200);
  expect(suspended.body.status).toBe('suspended');
  expect((await offlineVerdict(stack, holder)).verdict).toBe('suspended');
  // Suspending twice is harmless; renewing a suspended card is not allowed.
  expect(
    (await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} })).body.status,
  ).toBe('suspended');
  expect((await issue(stack, holder.token, holder.device)).body.code).toBe('CARD_SUSPENDED');

  const noFace = await stack.api('POST', '/api/v1/card/resume', {
    token: holder.token,
    body: { reauthToken: 'x'.repeat(20) },
  });
  expect(noFace.status).toBe(403);
  expect(noFace.body.code).toBe('REAUTH_REQUIRED');

  const resumed = await stack.api('POST', '/api/v1/card/resume', {
    token: holder.token,
    body: { reauthToken: await reauthToken(stack, holder.token) },
  });
  expect(resumed.status).toBe(200);
  expect(resumed.body.status).toBe('active');
  expect((await offlineVerdict(stack, holder)).verdict).toBe('valid');

  const notSuspended = await stack.api('POST', '/api/v1/card/resume', {
    token: holder.token,
    body: { reauthToken: await reauthToken(stack, holder.token) },
  });
  expect(notSuspended.status).toBe(409);
  expect(notSuspended.body.code).toBe('CARD_NOT_SUSPENDED');

  const trace = await stack.api('GET', '/api/v1/usage?limit=50', { token: holder.token });
  const actions = trace.body.items.map((e: { action: string }) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['card.suspend', 'card.resume']));
});
