import diagnostics from 'node:diagnostics_channel';
import { manualClock } from '@eid/bff/infra/clock';
import {
  createFaceClient,
  createRegistryClient,
  createSuperAppClient,
  createUpstreamClients,
  type FaceClient,
  type RegistryClient,
  type SuperAppClient,
} from '@eid/bff/infra/upstream/index';
import { loadConfig } from '@eid/bff/config';
import {
  FIXTURES,
  MOCK_FACE_API_KEY,
  MOCK_REGISTRY_API_KEY,
  MOCK_SUPERAPP_APP_ID,
  MOCK_SUPERAPP_APP_SECRET,
  startMocks,
  syntheticCapture,
  type Mocks,
} from '@eid/mock';
import { sleepUnlessGone, startMockServer, type MockServer } from '@eid/mock/lib/server';
import { AppError } from '@eid/shared';

// The budget the clients are configured with. Their calls end on a deadline the tests fire themselves
// (manualDeadlines), so no normal call can time out on a loaded machine and no timeout test waits.
const TIMEOUT_MS = 300;

/** Deadlines that run out only when a test says so; remembers the budget each call asked for. */
function manualDeadlines() {
  const calls: { ms: number; controller: AbortController }[] = [];
  return {
    deadline: (ms: number) => {
      const controller = new AbortController();
      calls.push({ ms, controller });
      return controller.signal;
    },
    /** The budgets asked for so far, in call order. */
    budgets: () => calls.map((c) => c.ms),
    /** Runs out every deadline handed out so far, as AbortSignal.timeout does when its time is up. */
    expire() {
      for (const { controller } of calls)
        controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    },
  };
}

/** Resolves once a request to `path` has been written to its socket (undici's diagnostics channel). */
function onTheWire(path: string): Promise<void> {
  return new Promise((resolve) => {
    const seen = (message: unknown) => {
      if ((message as { request: { path: string } }).request.path !== path) return;
      diagnostics.unsubscribe('undici:client:sendHeaders', seen);
      resolve();
    };
    diagnostics.subscribe('undici:client:sendHeaders', seen);
  });
}

/** The AppError a promise rejects with, for asserting code and details together. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('upstream adapters against the stand-ins', () => {
  const clock = manualClock();
  let mocks: Mocks;
  let superapp: SuperAppClient;
  let registry: RegistryClient;
  let face: FaceClient;
  let label = 0;
  const deadlines = manualDeadlines();
  const { deadline } = deadlines;

  beforeAll(async () => {
    mocks = await startMocks({ clock });
    superapp = createSuperAppClient({
      baseUrl: mocks.superapp.url,
      appId: MOCK_SUPERAPP_APP_ID,
      appSecret: MOCK_SUPERAPP_APP_SECRET,
      timeoutMs: TIMEOUT_MS,
      deadline,
    });
    registry = createRegistryClient({
      baseUrl: mocks.registry.url,
      apiKey: MOCK_REGISTRY_API_KEY,
      timeoutMs: TIMEOUT_MS,
      deadline,
    });
    face = createFaceClient({
      baseUrl: mocks.face.url,
      apiKey: MOCK_FACE_API_KEY,
      timeoutMs: TIMEOUT_MS,
      deadline,
    });
  });
  afterEach(() => mocks.registry.reset());
  afterAll(() => mocks.stop());

  const loginCode = async (userKey?: string) => {
    const res = await fetch(`${mocks.superapp.url}/v1/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(userKey ? { userKey } : {}),
    });
    return ((await res.json()) as { code: string }).code;
  };
  const capture = (verifyId: string) =>
    fetch(`${mocks.face.url}/v1/capture`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ verifyId, image: syntheticCapture(`upstream-${++label}`) }),
    });

  describe('super-app', () => {
    it('when a code is exchanged, then the same user gets the same openId', async () => {
      const first = await superapp.exchangeCode(await loginCode('upstream-user'));
      const second = await superapp.exchangeCode(await loginCode('upstream-user'));
      expect(first).toEqual({ openId: expect.stringMatching(/^o/), unionId: expect.stringMatching(/^u/) });
      expect(second).toEqual(first);
    });

    it('when a code is spent, expired or unknown, then it throws LOGIN_CODE_INVALID', async () => {
      const code = await loginCode();
      await superapp.exchangeCode(code);
      expect((await failure(superapp.exchangeCode(code))).code).toBe('LOGIN_CODE_INVALID');
      const stale = await loginCode();
      clock.advance(5 * 60 * 1000 + 1);
      expect((await failure(superapp.exchangeCode(stale))).code).toBe('LOGIN_CODE_INVALID');
      expect((await failure(superapp.exchangeCode('nope'))).code).toBe('LOGIN_CODE_INVALID');
      expect((await failure(superapp.exchangeCode(''))).code).toBe('LOGIN_CODE_INVALID');
    });

    it('when our app secret is wrong, then it throws UPSTREAM_UNAVAILABLE that is not retryable', async () => {
      const misconfigured = createSuperAppClient({
        baseUrl: mocks.superapp.url,
        appId: MOCK_SUPERAPP_APP_ID,
        appSecret: 'wrong',
        timeoutMs: TIMEOUT_MS,
        deadline,
      });
      const err = await failure(misconfigured.exchangeCode(await loginCode()));
      expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(err.details).toEqual({ upstream: 'superapp', retryable: false });
      expect(err.message).not.toContain('wrong');
    });
  });

  describe('registry', () => {
    it('when a resident matches, then verify returns the card face and a portrait ref', async () => {
      const r = FIXTURES.xCheckDigit;
      const answer = await registry.verify(r.name, r.idNumber);
      expect(answer).toEqual({
        result: 'match',
        portraitRef: r.portraitRef,
        card: expect.objectContaining({ name: r.name, idNumber: r.idNumber, validUntil: r.validUntil }),
      });
    });

    it('when the answer is not a match, then verify returns the result alone', async () => {
      expect(await registry.verify('李文', FIXTURES.pass.idNumber)).toEqual({ result: 'mismatch' });
      expect(await registry.verify('李文博', '11010519491231002X')).toEqual({ result: 'not_found' });
      expect(await registry.verify(FIXTURES.cancelled.name, FIXTURES.cancelled.idNumber)).toEqual({
        result: 'cancelled',
      });
      expect(await registry.verify(FIXTURES.deceased.name, FIXTURES.deceased.idNumber)).toEqual({
        result: 'deceased',
      });
    });

    it('when a resident is cancelled mid-test, then status reports it', async () => {
      expect(await registry.status(FIXTURES.pass.idNumber)).toEqual({ status: 'valid' });
      mocks.registry.setStatus(FIXTURES.pass.idNumber, 'cancelled');
      expect(await registry.status(FIXTURES.pass.idNumber)).toEqual({ status: 'cancelled' });
      expect(await registry.status('11010519491231002X')).toEqual({ status: 'not_found' });
    });

    it('when a portrait is fetched, then it comes back as PNG bytes, and an unknown ref is NOT_FOUND', async () => {
      const portrait = await registry.portrait(FIXTURES.pass.portraitRef);
      expect(portrait.contentType).toBe('image/png');
      expect(portrait.bytes).toBeInstanceOf(Uint8Array);
      expect([...portrait.bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      expect((await failure(registry.portrait('pt_missing'))).code).toBe('NOT_FOUND');
    });

    it('when our API key is wrong, then it throws UPSTREAM_UNAVAILABLE that is not retryable', async () => {
      const misconfigured = createRegistryClient({
        baseUrl: mocks.registry.url,
        apiKey: 'wrong',
        timeoutMs: TIMEOUT_MS,
        deadline,
      });
      const err = await failure(misconfigured.verify(FIXTURES.pass.name, FIXTURES.pass.idNumber));
      expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
      expect(err.details).toEqual({ upstream: 'registry', retryable: false });
    });
  });

  describe('face', () => {
    it('when a pass resident is captured, then the result is pending first and a pass after', async () => {
      const { verifyId, expiresAt } = await face.createVerifyId(FIXTURES.pass);
      expect(expiresAt).toBe(clock.now() + 10 * 60 * 1000);
      expect(await face.getResult(verifyId)).toEqual({ status: 'pending' });
      await capture(verifyId);
      const result = await face.getResult(verifyId);
      expect(result).toMatchObject({ status: 'done', liveness: 'pass' });
    });

    it('when each face profile is run, then the adapter passes the verdict through', async () => {
      const run = async (person: { name: string; idNumber: string }) => {
        const { verifyId } = await face.createVerifyId(person);
        await capture(verifyId);
        return face.getResult(verifyId);
      };
      expect(await run(FIXTURES.faceLowSimilarity)).toMatchObject({
        liveness: 'pass',
        reason: 'low_similarity',
      });
      expect(await run(FIXTURES.faceLivenessFail)).toMatchObject({ liveness: 'fail', reason: 'not_live' });
    });

    it('when the face result hangs longer than the timeout, then it throws a retryable UPSTREAM_TIMEOUT', async () => {
      const { verifyId } = await face.createVerifyId(FIXTURES.faceTimeout);
      await capture(verifyId);
      // The stand-in holds a `timeout` resident's result for 10 s; the budget runs out once the call is out.
      const path = `/v1/verify-ids/${verifyId}/result`;
      const sent = onTheWire(path);
      const pending = failure(face.getResult(verifyId));
      await sent;
      deadlines.expire();
      const err = await pending;
      expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
      expect(err.message).toBe(`face did not answer within ${TIMEOUT_MS} ms`);
      expect(err.details).toEqual({ upstream: 'face', retryable: true });
      expect(deadlines.budgets().at(-1)).toBe(TIMEOUT_MS);
    });

    it('when the face service answers 500, then it throws a retryable UPSTREAM_UNAVAILABLE', async () => {
      const { verifyId } = await face.createVerifyId(FIXTURES.faceError);
      const err = await failure(face.getResult(verifyId));
      expect(err).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        details: { upstream: 'face', retryable: true },
      });
    });

    it('when the verify id is unknown, expired or malformed, then it throws FACE_VERIFY_ID_INVALID', async () => {
      expect((await failure(face.getResult('fv_unknown'))).details).toEqual({ reason: 'unknown' });
      const { verifyId } = await face.createVerifyId(FIXTURES.pass);
      clock.advance(10 * 60 * 1000 + 1);
      const expired = await failure(face.getResult(verifyId));
      expect(expired).toMatchObject({ code: 'FACE_VERIFY_ID_INVALID', details: { reason: 'expired' } });
      expect((await failure(face.getResult('../healthz'))).code).toBe('FACE_VERIFY_ID_INVALID');
    });

    it('when the person is unknown to the face service, then it throws the real-name codes', async () => {
      const unknown = face.createVerifyId({ name: '李文博', idNumber: '11010519491231002X' });
      expect((await failure(unknown)).code).toBe('REAL_NAME_NOT_FOUND');
      const wrongName = face.createVerifyId({ name: '李文', idNumber: FIXTURES.pass.idNumber });
      expect((await failure(wrongName)).code).toBe('REAL_NAME_MISMATCH');
    });
  });

  describe('failure mapping', () => {
    let bogus: MockServer;
    // The slow super-app route says when a call reached it and when that caller hung up.
    let reached: () => void = () => undefined;
    let left: () => void = () => undefined;

    beforeAll(async () => {
      bogus = await startMockServer({
        name: 'bogus',
        build(router, { stopping }) {
          router.post('/v1/verify', (ctx) => {
            ctx.body = { result: 'maybe' };
          });
          router.post('/v1/status', (ctx) => {
            ctx.type = 'text/html';
            ctx.body = '<html>maintenance</html>';
          });
          router.get('/v1/portraits/:ref', (ctx) => {
            ctx.type = 'text/html';
            ctx.body = '<html>not an image</html>';
          });
          router.get('/sns/jscode2session', async (ctx) => {
            reached();
            await sleepUnlessGone(60_000, ctx, stopping);
            left();
            ctx.body = { openid: 'late' };
          });
          router.post('/v1/verify-ids', (ctx) => {
            ctx.status = 502;
            ctx.body = { error: 'bad_gateway' };
          });
          router.get('/v1/verify-ids/:id/result', (ctx) => {
            ctx.body = { status: 'done', liveness: 'pass', similarity: 7, score: 700 };
          });
        },
      });
    });
    afterAll(() => bogus.stop());

    const bogusRegistry = () =>
      createRegistryClient({ baseUrl: bogus.url, apiKey: 'k', timeoutMs: TIMEOUT_MS, deadline });
    const bogusFace = () =>
      createFaceClient({ baseUrl: bogus.url, apiKey: 'k', timeoutMs: TIMEOUT_MS, deadline });
    const slowSuperApp = (options: { deadline?: typeof deadline; timeoutMs: number }) => {
      const reach = new Promise<void>((resolve) => (reached = resolve));
      const leave = new Promise<void>((resolve) => (left = resolve));
      const client = createSuperAppClient({ baseUrl: bogus.url, appId: 'a', appSecret: 's', ...options });
      return { client, reach, leave };
    };

    it('when an answer does not fit the schema or is not JSON, then it is UPSTREAM_UNAVAILABLE', async () => {
      const malformed = await failure(bogusRegistry().verify('甲', '11010519491231002X'));
      expect(malformed).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstream: 'registry' } });
      expect(malformed.message).not.toContain('11010519491231002X');
      expect((await failure(bogusRegistry().status('11010519491231002X'))).code).toBe('UPSTREAM_UNAVAILABLE');
      expect((await failure(bogusFace().getResult('fv_x'))).code).toBe('UPSTREAM_UNAVAILABLE');
    });

    it('when a portrait is not an image, then it is UPSTREAM_UNAVAILABLE', async () => {
      expect((await failure(bogusRegistry().portrait('pt_x'))).code).toBe('UPSTREAM_UNAVAILABLE');
    });

    it('when the super-app is slower than the timeout, then it throws a retryable UPSTREAM_TIMEOUT', async () => {
      const slow = slowSuperApp({ timeoutMs: TIMEOUT_MS, deadline });
      const pending = failure(slow.client.exchangeCode('any-code'));
      // The call is at the stand-in, which will not answer for a minute; now its budget runs out.
      await slow.reach;
      deadlines.expire();
      const err = await pending;
      expect(err).toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
        details: { upstream: 'superapp', retryable: true },
      });
      // The adapter hung up rather than leaving the connection open behind the error.
      await slow.leave;
    });

    it('when no deadline is passed, then a real timer of timeoutMs ends a call that would hang', async () => {
      // The outcome cannot depend on the machine's load: the stand-in holds the answer until we hang up.
      const slow = slowSuperApp({ timeoutMs: 50 });
      const err = await failure(slow.client.exchangeCode('any-code'));
      expect(err).toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
        message: 'superapp did not answer within 50 ms',
        details: { upstream: 'superapp', retryable: true },
      });
      await slow.leave;
    });

    it('when a gateway answers 502, then it is a retryable UPSTREAM_UNAVAILABLE', async () => {
      const err = await failure(bogusFace().createVerifyId({ name: '甲', idNumber: '11010519491231002X' }));
      expect(err).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        details: { upstream: 'face', retryable: true },
      });
    });

    it('when nothing listens at the address, then it throws a retryable UPSTREAM_UNAVAILABLE', async () => {
      const gone = await startMockServer({ name: 'gone', build: () => undefined });
      await gone.stop();
      const client = createRegistryClient({
        baseUrl: gone.url,
        apiKey: 'k',
        timeoutMs: TIMEOUT_MS,
        deadline,
      });
      const err = await failure(client.status('11010519491231002X'));
      expect(err).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        details: { upstream: 'registry', retryable: true },
      });
    });
  });

  it('when clients are built from the config, then they reach the systems it names', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      SUPERAPP_URL: mocks.superapp.url,
      REGISTRY_URL: mocks.registry.url,
      FACE_URL: mocks.face.url,
      // Real timers here: the largest budget the config allows, so a loaded machine cannot fail these.
      UPSTREAM_TIMEOUT_MS: '60000',
    });
    const clients = createUpstreamClients(config);
    expect(await clients.registry.status(FIXTURES.pass.idNumber)).toEqual({ status: 'valid' });
    expect(await clients.superapp.exchangeCode(await loginCode())).toHaveProperty('openId');
    expect(await clients.face.createVerifyId(FIXTURES.pass)).toHaveProperty('verifyId');
  });
});
