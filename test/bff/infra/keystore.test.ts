import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { loadConfig } from '@eid/bff/config';
import { manualClock } from '@eid/bff/infra/clock';
import { createKeyStore } from '@eid/bff/infra/keystore';
import { createServices } from '@eid/bff/app';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson } from '../../helpers/identity';

const masterKey = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const KEY_A = masterKey('master-a');
const KEY_B = masterKey('master-b');

function keysWith(masterKeys: string) {
  const clock = manualClock();
  return {
    clock,
    keys: createKeyStore(loadConfig({ NODE_ENV: 'test', EID_MASTER_KEYS: masterKeys }), clock),
  };
}

describe('keystore: envelope encryption, blind indexes, tokens', () => {
  it('when a value is sealed, then only the same aad opens it and any changed byte is refused', () => {
    const { keys } = keysWith(KEY_A);
    const sealed = keys.seal('{"name":"李文博"}', 'enrollment.identity:r1');
    expect(sealed).not.toContain('李文博');
    expect(sealed.split('.')).toHaveLength(6);
    expect(keys.masterKidOf(sealed)).toBe('master-a');
    expect(keys.open(sealed, 'enrollment.identity:r1')).toBe('{"name":"李文博"}');
    expect(() => keys.open(sealed, 'enrollment.identity:r2')).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
    const parts = sealed.split('.');
    for (const i of [2, 3, 4, 5]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0]! ^= 1;
      const tampered = [...parts.slice(0, i), bytes.toString('base64url'), ...parts.slice(i + 1)].join('.');
      expect(() => keys.open(tampered, 'enrollment.identity:r1')).toThrow(
        expect.objectContaining({ code: 'INTERNAL' }),
      );
    }
    // Every seal uses a fresh data key and IVs.
    expect(keys.seal('same', 'aad')).not.toBe(keys.seal('same', 'aad'));
  });

  it('when the master key rotates (A, then B before A), then old values open, re-wrap moves them to B, and A can retire', () => {
    const before = keysWith(KEY_A).keys;
    const sealed = before.seal('card face', 'aad-1');
    const during = keysWith(`${KEY_B},${KEY_A}`).keys;
    expect(during.open(sealed, 'aad-1')).toBe('card face');
    expect(during.masterKidOf(during.seal('new value', 'aad-2'))).toBe('master-b');
    const rewrapped = during.rewrap(sealed);
    expect(during.masterKidOf(rewrapped)).toBe('master-b');
    // Only the wrapped data key changed: the ciphertext of the data is the same bytes.
    expect(rewrapped.split('.').slice(4)).toEqual(sealed.split('.').slice(4));
    expect(during.rewrap(rewrapped)).toBe(rewrapped);
    const after = keysWith(KEY_B).keys;
    expect(after.open(rewrapped, 'aad-1')).toBe('card face');
    expect(() => after.open(sealed, 'aad-1')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('when a blind index is made, then it is stable, separated by kind, and depends on the key', () => {
    const { keys } = keysWith(KEY_A);
    const other = createKeyStore(
      loadConfig({ NODE_ENV: 'test', EID_BLIND_INDEX_KEY: randomBytes(32).toString('base64') }),
      manualClock(),
    );
    const id = '370102198803141015';
    expect(keys.blindIndex('id-number', id)).toBe(keys.blindIndex('id-number', id));
    expect(keys.blindIndex('id-number', id)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.blindIndex('openid', id)).not.toBe(keys.blindIndex('id-number', id));
    expect(other.blindIndex('id-number', id)).not.toBe(keys.blindIndex('id-number', id));
  });

  it('when tokens are verified, then audience, expiry (by the injected clock) and algorithm are enforced', () => {
    const { keys, clock } = keysWith(KEY_A);
    const token = keys.signToken({ sub: 'r1', sid: 's1' }, { audience: 'resident', ttlSeconds: 900 });
    expect(keys.verifyToken(token, 'resident')).toMatchObject({ sub: 'r1', sid: 's1', aud: 'resident' });
    expect(() => keys.verifyToken(token, 'staff')).toThrow(
      expect.objectContaining({ code: 'TOKEN_INVALID' }),
    );
    const none = jwt.sign({ sub: 'r1', aud: 'resident' }, '', { algorithm: 'none' });
    expect(() => keys.verifyToken(none, 'resident')).toThrow(
      expect.objectContaining({ code: 'TOKEN_INVALID' }),
    );
    clock.advance(901 * 1000);
    expect(() => keys.verifyToken(token, 'resident')).toThrow(
      expect.objectContaining({ code: 'TOKEN_EXPIRED' }),
    );
  });
});

describe('keystore: identity data at rest through the BFF', () => {
  const dbName = `t_rotation_${randomBytes(4).toString('hex')}`;
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  /** Everything the database holds for this test, as one string to search. */
  async function dump(s: Stack): Promise<string> {
    const collections = await s.deps.db.db!.listCollections().toArray();
    const docs = await Promise.all(collections.map((c) => s.deps.db.collection(c.name).find({}).toArray()));
    return JSON.stringify(docs);
  }

  it('when a resident enrolled, then no name, ID number or address is stored in clear anywhere, and the master key can rotate under it', async () => {
    const who = freshPerson();
    stack = await startStack({ dbName, keepDatabase: true, env: { EID_MASTER_KEYS: KEY_A } });
    const { token, session } = await enroll(stack, who);
    const all = await dump(stack);
    for (const secret of [who.name, who.idNumber, who.address]) expect(all).not.toContain(secret);
    const stored = await stack.deps.db
      .collection('enrollments')
      .findOne({ _id: session.resident.id } as never);
    expect(stack.deps.keys.masterKidOf(stored!.identity)).toBe('master-a');
    expect(stored!.idIndex).toBe(stack.deps.keys.blindIndex('id-number', who.idNumber));
    await stack.stop();

    // B becomes the current key; A only unwraps. The BFF keeps serving the old record.
    stack = await startStack({ dbName, keepDatabase: true, env: { EID_MASTER_KEYS: `${KEY_B},${KEY_A}` } });
    const started = await stack.api('POST', '/api/v1/reauth/start', { token, body: {} });
    expect(started.status).toBe(200);
    // A second instance over the same database, as another BFF process would run the rotation.
    const { enrollment } = createServices(stack.deps);
    expect(await enrollment.rewrapIdentities()).toEqual({ seen: 1, rewrapped: 1 });
    expect(await enrollment.rewrapIdentities()).toEqual({ seen: 1, rewrapped: 0 });
    await stack.stop();

    // A is retired.
    stack = await startStack({ dbName, env: { EID_MASTER_KEYS: KEY_B } });
    const again = await stack.api('POST', '/api/v1/reauth/start', { token, body: {} });
    expect(again.status).toBe(200);
    const rotated = await stack.deps.db
      .collection('enrollments')
      .findOne({ _id: session.resident.id } as never);
    expect(stack.deps.keys.masterKidOf(rotated!.identity)).toBe('master-b');
  });
});

describe('keystore: ID-token keys (issue 17)', () => {
  const seed = () => randomBytes(32).toString('base64');
  const storeWith = (env: Record<string, string>) =>
    createKeyStore(loadConfig({ NODE_ENV: 'test', ...env }), manualClock());

  it('when two ID-token keys are configured, then both are private Ed25519 JWKs, newest first, and differ', () => {
    const keys = storeWith({ EID_OIDC_KEYS: `oidc-2:${seed()},oidc-1:${seed()}` });
    const jwks = keys.oidcSigningJwks();
    expect(jwks.map((k) => [k.kid, k.kty, k.crv, k.alg, k.use])).toEqual([
      ['oidc-2', 'OKP', 'Ed25519', 'EdDSA', 'sig'],
      ['oidc-1', 'OKP', 'Ed25519', 'EdDSA', 'sig'],
    ]);
    expect(jwks[0]!.x).not.toBe(jwks[1]!.x);
    // A copy each time: the provider cannot change what the store holds.
    jwks[0]!.kid = 'changed';
    expect(keys.oidcSigningJwks()[0]!.kid).toBe('oidc-2');
  });

  it('when a key id is repeated or a cookie key is short, then the configuration is refused', () => {
    expect(() => storeWith({ EID_OIDC_KEYS: `same:${seed()},same:${seed()}` })).toThrow(
      'EID_OIDC_KEYS must not repeat a key id',
    );
    expect(() => storeWith({ EID_OIDC_COOKIE_KEYS: 'long-enough-cookie-key,short' })).toThrow(
      'EID_OIDC_COOKIE_KEYS entries must be at least 16 characters',
    );
    expect(
      storeWith({ EID_OIDC_COOKIE_KEYS: 'first-cookie-key-0001,second-cookie-key-02' }).oidcCookieKeys(),
    ).toEqual(['first-cookie-key-0001', 'second-cookie-key-02']);
  });

  it('when production starts without PUBLIC_URL, then it is refused: the issuer must not follow a Host header', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow();
    let problem = '';
    try {
      loadConfig({
        NODE_ENV: 'production',
        EID_MASTER_KEYS: `m:${seed()}`,
        EID_BLIND_INDEX_KEY: seed(),
        EID_JWT_SECRET: seed(),
        EID_ISSUER_KEYS: `i:37:${seed()}`,
        EID_TRUST_ROOT_KEY: seed(),
        LICENCE_CLIENT_KEY: seed(),
        EID_PARTY_REGISTRY_KEY: seed(),
        EID_CALLBACK_KEYS: `c:${seed()}`,
        EID_PAIRWISE_KEY: seed(),
        EID_OIDC_KEYS: `o:${seed()}`,
        EID_OIDC_COOKIE_KEYS: 'a-cookie-key-of-some-length',
        EID_NODE_KEYS: `n:${seed()}`,
        EID_WITNESS_KEY: seed(),
      });
    } catch (err) {
      problem = (err as Error).message;
    }
    expect(problem).toBe('Invalid configuration: PUBLIC_URL is required in production');
  });
});
