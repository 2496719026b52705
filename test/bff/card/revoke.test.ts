import { startStack, type Stack } from '../../helpers/stack';
import { holderWithCard, offlineVerdict } from '../../helpers/card-flow';

// Card: revocation when the identity is withdrawn. One stack (BFF, stand-ins, database) serves every test of this file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when consent is withdrawn, then the card is revoked through the identity hook', async () => {
  const holder = await holderWithCard(stack);
  const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token: holder.token });
  expect(res.status).toBe(200);
  expect((await offlineVerdict(stack, holder)).verdict).toBe('revoked');
});
