import { scrypt } from 'node:crypto';
import { holderWithCard, type Holder } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { login } from '../../helpers/identity';
import { startStack, type Stack } from '../../helpers/stack';

const PASSCODE = '482913';
const NEXT = '730561';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

const put = (token: string, body: unknown) => stack.api('PUT', '/api/v1/passcode', { token, body });
const status = (token: string) => stack.api('GET', '/api/v1/passcode', { token });
const stored = (residentId: string) =>
  stack.deps.db.collection('passcodes').findOne({ _id: residentId } as never);
const residentOf = (holder: Holder) => stack.deps.keys.verifyToken(holder.token, 'resident').sub;
const actionsOf = async (token: string) =>
  ((await stack.api('GET', '/api/v1/usage?limit=50', { token })).body.items as { action: string }[]).map(
    (e) => e.action,
  );

describe('passcode: first set', () => {
  it('when a resident with a verified identity sets one, then the status says set with every try left', async () => {
    const holder = await holderWithCard(stack);
    expect((await status(holder.token)).body).toEqual({ set: false, triesLeft: 5 });
    const res = await put(holder.token, { passcode: PASSCODE });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ set: true, triesLeft: 5, updatedAt: stack.clock.now() });
    expect((await status(holder.token)).body).toEqual(res.body);
    expect(await stack.services.passcodes.isSet(residentOf(holder))).toBe(true);
  });

  it.each([
    ['12345', 'format'],
    ['123456789', 'format'],
    ['12a456', 'format'],
    ['', 'format'],
    ['777777', 'repeated'],
    ['234567', 'sequence'],
    ['87654321', 'sequence'],
  ])(
    'when the passcode is %j, then it is refused as weak (%s) and nothing is stored',
    async (weak, reason) => {
      const holder = await holderWithCard(stack);
      const res = await put(holder.token, { passcode: weak });
      expectError(res, 400, 'PASSCODE_WEAK');
      expect(res.body.details).toEqual({ reason });
      expect(await stored(residentOf(holder))).toBeNull();
    },
  );

  it('when the body is not the contract (a number, an unknown key), then it is VALIDATION_FAILED', async () => {
    const holder = await holderWithCard(stack);
    expectError(await put(holder.token, { passcode: 482913 }), 400, 'VALIDATION_FAILED');
    expectError(await put(holder.token, { passcode: PASSCODE, extra: 1 }), 400, 'VALIDATION_FAILED');
    expectError(await put(holder.token, {}), 400, 'VALIDATION_FAILED');
    expect(await stored(residentOf(holder))).toBeNull();
  });

  it('when a resident without a verified identity sets one, then it is CARD_NOT_ELIGIBLE and nothing is stored', async () => {
    const session = await login(stack);
    const res = await put(session.accessToken, { passcode: PASSCODE });
    expectError(res, 409, 'CARD_NOT_ELIGIBLE');
    expect(await stored(session.resident.id)).toBeNull();
    expect((await status(session.accessToken)).body).toEqual({ set: false, triesLeft: 5 });
  });

  it('when a first set names a current passcode, then it is VALIDATION_FAILED on currentPasscode', async () => {
    const holder = await holderWithCard(stack);
    const res = await put(holder.token, { passcode: PASSCODE, currentPasscode: NEXT });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details.issues).toEqual([{ path: 'currentPasscode', message: expect.any(String) }]);
    expect(await stored(residentOf(holder))).toBeNull();
  });

  it('when there is no token, then it is UNAUTHENTICATED', async () => {
    expectError(await stack.api('GET', '/api/v1/passcode'), 401, 'UNAUTHENTICATED');
    expectError(
      await stack.api('PUT', '/api/v1/passcode', { body: { passcode: PASSCODE } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('passcode: storage', () => {
  it('when one is set, then the database holds only a sealed value, bound to the resident, of a scrypt hash with its parameters', async () => {
    const holder = await holderWithCard(stack);
    const residentId = residentOf(holder);
    await put(holder.token, { passcode: PASSCODE });
    const doc = (await stored(residentId))!;
    expect(doc).toEqual({
      _id: residentId,
      sealed: expect.any(String),
      failures: 0,
      pauses: 0,
      pausedUntil: 0,
      updatedAt: stack.clock.now(),
    });
    const raw = JSON.stringify(doc);
    expect(raw).not.toContain(PASSCODE);
    expect(raw).not.toContain('scrypt');

    const encoded = stack.deps.keys.open(doc.sealed, `passcode:${residentId}`);
    const [scheme, N, r, p, salt, key] = encoded.split('$');
    expect({ scheme, N, r, p }).toEqual({ scheme: 'scrypt', N: '32768', r: '8', p: '1' });
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
    expect(raw).not.toContain(key);
    // The stored key is scrypt of the passcode under those parameters (written here, not taken from the BFF).
    const derived = await new Promise<Buffer>((resolve, reject) =>
      scrypt(
        PASSCODE,
        Buffer.from(salt!, 'base64url'),
        32,
        { N: 32768, r: 8, p: 1, maxmem: 64 << 20 },
        (e, k) => (e ? reject(e) : resolve(k)),
      ),
    );
    expect(derived.toString('base64url')).toBe(key);
    // Copied under another resident, the sealed hash does not open.
    expect(() => stack.deps.keys.open(doc.sealed, 'passcode:someone-else')).toThrow();
  });

  it('when two residents choose the same passcode, then their hashes differ (a fresh salt each)', async () => {
    const a = await holderWithCard(stack);
    const b = await holderWithCard(stack);
    await put(a.token, { passcode: PASSCODE });
    await put(b.token, { passcode: PASSCODE });
    const keyOf = async (h: Holder) => {
      const id = residentOf(h);
      return stack.deps.keys.open((await stored(id))!.sealed, `passcode:${id}`).split('$')[5];
    };
    expect(await keyOf(a)).not.toBe(await keyOf(b));
  });
});

describe('passcode: change', () => {
  it('when the current passcode is right, then the new one replaces it and the old one no longer matches', async () => {
    const holder = await holderWithCard(stack);
    const residentId = residentOf(holder);
    await put(holder.token, { passcode: PASSCODE });
    stack.clock.advance(60_000);
    const res = await put(holder.token, { passcode: NEXT, currentPasscode: PASSCODE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ set: true, triesLeft: 5, updatedAt: stack.clock.now() });
    await expect(stack.services.passcodes.check(residentId, NEXT)).resolves.toBeUndefined();
    await expect(stack.services.passcodes.check(residentId, PASSCODE)).rejects.toMatchObject({
      code: 'PASSCODE_WRONG',
    });
  });

  it('when the current passcode is wrong, then it is PASSCODE_WRONG, counted, and the passcode stays', async () => {
    const holder = await holderWithCard(stack);
    const residentId = residentOf(holder);
    await put(holder.token, { passcode: PASSCODE });
    const res = await put(holder.token, { passcode: NEXT, currentPasscode: '591736' });
    expectError(res, 403, 'PASSCODE_WRONG');
    expect(res.body.details).toEqual({ triesLeft: 4 });
    expect((await status(holder.token)).body).toMatchObject({ set: true, triesLeft: 4 });
    await expect(stack.services.passcodes.check(residentId, PASSCODE)).resolves.toBeUndefined();
    expect((await status(holder.token)).body).toMatchObject({ triesLeft: 5 });
  });

  it('when a passcode is set and the current one is left out, then it is VALIDATION_FAILED and no try is spent', async () => {
    const holder = await holderWithCard(stack);
    await put(holder.token, { passcode: PASSCODE });
    const res = await put(holder.token, { passcode: NEXT });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details.issues).toEqual([{ path: 'currentPasscode', message: expect.any(String) }]);
    expect((await status(holder.token)).body).toMatchObject({ triesLeft: 5 });
  });

  it('when the new passcode is weak, then it is PASSCODE_WEAK before the current one is tried', async () => {
    const holder = await holderWithCard(stack);
    await put(holder.token, { passcode: PASSCODE });
    const res = await put(holder.token, { passcode: '000000', currentPasscode: '591736' });
    expectError(res, 400, 'PASSCODE_WEAK');
    expect((await status(holder.token)).body).toMatchObject({ triesLeft: 5 });
  });
});

describe('passcode: usage trace and logs', () => {
  it('when a passcode is set and changed, then the trace records both as the resident, with no value, and no log line holds a value or hash', async () => {
    const holder = await holderWithCard(stack);
    const residentId = residentOf(holder);
    await put(holder.token, { passcode: PASSCODE });
    await put(holder.token, { passcode: NEXT, currentPasscode: '591736' });
    await put(holder.token, { passcode: NEXT, currentPasscode: PASSCODE });
    const trace = (await stack.api('GET', '/api/v1/usage?limit=50', { token: holder.token })).body.items as {
      action: string;
    }[];
    const own = trace.filter((e) => e.action.startsWith('passcode.'));
    expect(own.map((e) => e.action)).toEqual(['passcode.change', 'passcode.set']);
    for (const e of own) {
      expect(e).toMatchObject({
        actor: { type: 'resident', id: residentId, displayName: '本人' },
        purpose: 'account',
        fields: [],
        result: 'ok',
      });
      expect(JSON.stringify(e)).not.toMatch(/482913|730561|591736/);
    }
    const encoded = stack.deps.keys.open((await stored(residentId))!.sealed, `passcode:${residentId}`);
    const logs = stack.logs.join('\n');
    expect(logs).toContain('passcode changed');
    expect(logs).not.toMatch(/482913|730561|591736/);
    expect(logs).not.toContain(encoded.split('$')[5]);
    expect(logs).not.toContain('scrypt$');
    expect(await actionsOf(holder.token)).not.toContain('passcode.reset');
  });
});
