import { sleepUnlessGone, startMockServer, type MockServer } from '@eid/mock/lib/server';

describe('mock server helper', () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await startMockServer({
      name: 'demo',
      bodyLimitBytes: 1024,
      build(router) {
        router.post('/echo', (ctx) => {
          ctx.body = { got: ctx.request.body };
        });
        router.get('/boom', () => {
          throw new Error('kaboom');
        });
      },
    });
  });

  afterAll(() => server.stop());

  it('when it starts on port 0, then it listens on 127.0.0.1 and answers /healthz', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', name: 'demo' });
  });

  it('when a route is unknown, then it answers 404 with a JSON error', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('when a handler throws, then it answers 500 without the error text', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal_error', message: 'internal error' });
    spy.mockRestore();
  });

  it('when JSON is malformed, then it answers 400', async () => {
    const res = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('when a body exceeds the limit, then it answers 413 and a body under it is parsed', async () => {
    const post = (size: number) =>
      fetch(`${server.url}/echo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ pad: 'a'.repeat(size) }),
      });
    const big = await post(2000);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'body_too_large' });
    const small = await post(100);
    expect(await small.json()).toEqual({ got: { pad: 'a'.repeat(100) } });
  });

  it('when a browser sends a preflight, then CORS allows the origin and the API key header', async () => {
    const res = await fetch(`${server.url}/echo`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:10086',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:10086');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    const plain = await fetch(`${server.url}/healthz`, { headers: { Origin: 'http://localhost:10086' } });
    expect(plain.headers.get('access-control-allow-origin')).toBe('http://localhost:10086');
  });

  it('when the server stops during a deliberately slow answer, then stop() returns, the sleep ends and the caller is cut off', async () => {
    let slowStarted!: () => void;
    let slowEnded!: (why: string) => void;
    const slowReached = new Promise<void>((resolve) => (slowStarted = resolve));
    const sleepEnded = new Promise<string>((resolve) => (slowEnded = resolve));
    const other = await startMockServer({
      name: 'slow',
      build(router, { stopping }) {
        router.get('/slow', async (ctx) => {
          slowStarted();
          await sleepUnlessGone(60_000, ctx, stopping);
          slowEnded(stopping.aborted ? 'stopping' : 'slept');
          ctx.body = { late: true };
        });
      },
    });
    const pending = fetch(`${other.url}/slow`).then(
      (res) => `answered ${res.status}`,
      () => 'failed',
    );
    await slowReached;
    // Stopping wakes the sleeper (not its 60 s timer, which would outlast the test's timeout) ...
    await other.stop();
    await expect(sleepEnded).resolves.toBe('stopping');
    // ... and closes the connection before the late answer, so the caller sees a failure, not a reply.
    await expect(pending).resolves.toBe('failed');
    await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
  });
});
