import { spawn } from 'node:child_process';
import path from 'node:path';
import { AppError, ERROR_CODES, isErrorCode } from '@eid/shared';
import { loadConfig, ConfigError } from '@eid/bff/config';
import { startStack, type Stack } from '../../helpers/stack';

const SERVER = path.resolve(__dirname, '../../../bff/src/server.ts');

/** Runs the real server entry point with `env` and collects how it ended. */
function runServer(env: Record<string, string>, untilLine?: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const seen = new Promise<void>((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (untilLine && untilLine.test(stdout)) resolve();
    });
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, seen, exited, out: () => stdout, err: () => stderr };
}

describe('foundation: the BFF skeleton', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the process is up, then /healthz answers 200 with a request id', async () => {
    const res = await stack.api('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the database answers, then /readyz answers 200', async () => {
    const res = await stack.api('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('when the caller sends a well-formed request id, then it is echoed in the answer and the error body', async () => {
    const res = await stack.api('GET', '/nowhere', { headers: { 'x-request-id': 'trace-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('trace-12345678');
    expect(res.body.requestId).toBe('trace-12345678');
  });

  it('when a route does not exist, then 404 NOT_FOUND with the error shape', async () => {
    const res = await stack.api('GET', '/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'NOT_FOUND',
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('when a known path gets the wrong method, then 405 METHOD_NOT_ALLOWED', async () => {
    const res = await stack.api('DELETE', '/healthz');
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('when a body exceeds the limit, then 413 BODY_TOO_LARGE before it is parsed', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(stack.config.BODY_LIMIT_BYTES + 10) });
    const res = await stack.api('POST', '/api/v1/auth/login', {
      raw: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('BODY_TOO_LARGE');
  });

  it('when a body is not JSON, then 415; when JSON is malformed, then 400 BAD_REQUEST', async () => {
    const form = await stack.api('POST', '/api/v1/auth/login', {
      raw: 'code=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await stack.api('POST', '/api/v1/auth/login', {
      raw: '{"code": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('BAD_REQUEST');
  });

  it('when the database connection is gone, then /readyz answers 503 NOT_READY while /healthz stays 200', async () => {
    const other = await startStack({ mocks: stack.mocks });
    await other.deps.db.close();
    const ready = await other.api('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.code).toBe('NOT_READY');
    expect((await other.api('GET', '/healthz')).status).toBe(200);
    await other.stop().catch(() => undefined);
  });
});

describe('foundation: configuration and errors', () => {
  it('when a variable is malformed, then loadConfig names it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
    expect(() => loadConfig({ EID_JWT_SECRET: 'short' })).toThrow(/EID_JWT_SECRET/);
  });

  it('when production lacks a key, then loadConfig refuses to fall back to development keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/EID_MASTER_KEYS is required in production/);
  });

  it('when development keys are used, then the config lists them so the server can warn', () => {
    expect(loadConfig({}).devFallbacks).toEqual(
      expect.arrayContaining(['EID_MASTER_KEYS', 'EID_JWT_SECRET']),
    );
  });

  it('every error code has a 4xx or 5xx status, and AppError exposes only client errors', () => {
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      expect(isErrorCode(code)).toBe(true);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(new AppError(code as keyof typeof ERROR_CODES, 'x').expose).toBe(status < 500);
    }
    expect(isErrorCode('NOT_A_CODE')).toBe(false);
  });
});

describe('foundation: the server process', () => {
  it('when a config value is bad, then the server exits non-zero with a message naming the variable', async () => {
    const run = runServer({ PORT: 'not-a-port', MONGODB_URI: process.env.MONGODB_URI! });
    expect(await run.exited).toBe(78);
    expect(run.err()).toMatch(/Invalid configuration: PORT/);
  });

  it('when it gets SIGTERM, then it drains, closes the database and exits 0', async () => {
    const run = runServer(
      { PORT: '0', MONGODB_URI: process.env.MONGODB_URI!, MONGODB_DB: 'sigterm_test', LOG_LEVEL: 'info' },
      /bff listening/,
    );
    await run.seen;
    const url = JSON.parse(
      run
        .out()
        .split('\n')
        .find((l) => l.includes('bff listening'))!,
    ).url as string;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.out()).toMatch(/DEVELOPMENT KEYS IN USE/);
    expect(run.out()).toMatch(/"msg":"stopped"/);
  });
});
