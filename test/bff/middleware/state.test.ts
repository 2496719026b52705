import type { Server } from 'node:http';
import Koa, { type Context } from 'koa';
import Router from '@koa/router';
import { requireAuth } from '@eid/bff/middleware/auth';
import { errorHandler } from '@eid/bff/middleware/error-handler';
import { requestId } from '@eid/bff/middleware/request-id';
import type { AppState } from '@eid/bff/middleware/state';
import { client } from '../../helpers/http';
import { login } from '../../helpers/identity';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * A route as the module route files write one: default Koa types, no annotation. The expect-error lines
 * are the type test: `npm run typecheck` fails if ctx.state went back to `any`.
 */
function whoAmI(ctx: Context): void {
  // @ts-expect-error requestId is a string
  const wrongId: number = ctx.state.requestId;
  // @ts-expect-error the token's subject is a string
  const wrongSub: number = ctx.state.auth.sub;
  void [wrongId, wrongSub];
  const state: Pick<AppState, 'requestId' | 'auth'> = ctx.state;
  ctx.body = { requestId: state.requestId, sub: state.auth.sub, aud: state.auth.aud };
}

describe('ctx.state: one declared shape for every route', () => {
  let stack: Stack;
  let server: Server;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    stack = await startStack();
    const router = new Router();
    router.get('/whoami', requireAuth(stack.deps.keys, 'resident'), whoAmI);
    const app = new Koa<AppState>();
    app.use(requestId());
    app.use(errorHandler(stack.deps.logger));
    app.use(router.routes());
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    api = client(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await stack.stop();
  });

  it('when request-id and requireAuth ran, then a route reads the request id and the verified token from ctx.state', async () => {
    const session = await login(stack);
    const res = await api('GET', '/whoami', {
      token: session.accessToken,
      headers: { 'x-request-id': 'state-test-0001' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ requestId: 'state-test-0001', sub: session.resident.id, aud: 'resident' });
  });
});
