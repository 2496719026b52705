import { startStack, type Stack } from '../../helpers/stack';
import { offlineLists } from '../../helpers/card-flow';

// Trust: the published trust list. One stack (BFF, stand-ins, database) serves every test of this file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when the trust list is downloaded, then it is signed by the trust root and lists this node’s issuer keys', async () => {
  const res = await stack.api('GET', '/api/v1/trust-list');
  expect(res.status).toBe(200);
  expect(res.headers.get('etag')).toBeTruthy();
  expect(res.body.maxStatusAgeMs).toBe(stack.config.STATUS_LIST_MAX_AGE_S * 1000);
  const { trustList } = await offlineLists(stack);
  for (const key of stack.deps.keys.issuerKeys()) {
    expect(trustList.issuers.get(key.kid)).toEqual({
      kid: key.kid,
      province: key.province,
      publicKey: key.publicKey,
    });
  }
});
