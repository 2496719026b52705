/**
 * The bare servers `POST /api/v1/verify` is measured against (card.bench.ts), each a plain node:http
 * server in the bench's server process:
 * - `sameCrypto`: the cryptography the endpoint does for one valid check, with node:crypto and nothing
 *   else: the goal of issue 5 is at least 0.75 of its requests per second;
 * - `signatureOnly`: only the code's signature check, as this reference did before the rest of the
 *   endpoint's crypto was added to `sameCrypto`; kept so both readings of "the same crypto" are shown;
 * - `floor`: the same crypto plus the least database work any online verifier with a shared replay
 *   cache and a live card status must do: one read and one write per group of concurrent checks, with
 *   the raw driver. No endpoint on the same database can be faster than this, so it tells how much of
 *   the gap to `sameCrypto` is the database rather than our code;
 * - `services`: the product's own services behind node:http instead of Koa, which isolates the framework.
 */
import { createHmac, createSecretKey, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { mongo } from 'mongoose';
import { CLOCK_TOLERANCE_MS, inspectCode, type InspectOptions, type VerifyResult } from '@eid/shared';
import { createServices, type AppDeps } from '../../bff/src/app';
import { createStaffRepository } from '../../bff/src/modules/staff/staff.repository';
import { groupCalls } from '../../bff/src/modules/verify/batch';

/** A face of the same shape and size as the ones the endpoint decrypts. */
const SAMPLE_FACE = {
  face: {
    name: '阿卜杜热合曼·买买提明',
    sex: '男',
    ethnicity: '维吾尔族',
    birthDate: '1993-01-29',
    address: '新疆维吾尔自治区乌鲁木齐市天山区解放北路 123 号',
    idNumber: '653101199301290016',
    issuingAuthority: '乌鲁木齐市公安局天山分局',
    validFrom: '2016-05-01',
    validUntil: '2036-05-01',
  },
  portraitRef: 'portrait-0000000000000000',
};

/** Calls `handle` with the parsed JSON body and writes its answer (or a 500) as JSON. */
function jsonServer(handle: (body: unknown, req: IncomingMessage) => unknown): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handle(JSON.parse(Buffer.concat(chunks).toString('utf8')), req))
        .then(
          (answer) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(answer));
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export interface BareCrypto {
  /** A bearer token for the bare servers, HS256 like the endpoint's staff tokens. */
  token: string;
  /**
   * One valid check's cryptography: the HS256 token, the code (device signature; the issuer signature
   * cached by credential digest, as the endpoint does), opening the sealed identity (two AES-256-GCM
   * decryptions), the usage link's HMAC, and two random UUIDs (request id, usage event id).
   */
  check(authorization: string | undefined, code: string): { answer: object; result: VerifyResult };
}

/** The endpoint's per-check cryptography with node:crypto only; `deps.keys` seals the sample identity. */
export function bareCrypto(deps: AppDeps, inspect: InspectOptions): BareCrypto {
  const jwtKey: KeyObject = createSecretKey(Buffer.alloc(32, 7));
  const chainKey: KeyObject = createSecretKey(Buffer.alloc(32, 9));
  const sign = (data: string) => createHmac('sha256', jwtKey).update(data).digest();
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const now = Math.floor(deps.clock.now() / 1000);
  const payload = Buffer.from(
    JSON.stringify({ sub: randomUUID(), role: 'staff', aud: 'staff', iat: now, exp: now + 900 }),
  ).toString('base64url');
  const token = `${header}.${payload}.${sign(`${header}.${payload}`).toString('base64url')}`;
  const aad = 'enrollment.identity:bench';
  const sealed = deps.keys.seal(JSON.stringify(SAMPLE_FACE), aad);

  return {
    token,
    check(authorization, code) {
      const [h, p, s] = (authorization ?? '').slice(7).split('.') as [string, string, string];
      const expected = sign(`${h}.${p}`);
      const given = Buffer.from(s ?? '', 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('token');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { aud: string; exp: number };
      if (claims.aud !== 'staff' || claims.exp * 1000 < deps.clock.now()) throw new Error('token');
      const requestId = randomUUID();
      const result = inspectCode(code, inspect, true);
      const { face } = JSON.parse(deps.keys.open(sealed, aad)) as typeof SAMPLE_FACE;
      const link = JSON.stringify({
        v: 1,
        id: randomUUID(),
        requestId,
        at: result.checkedAt,
        face: face.name,
      });
      createHmac('sha256', chainKey).update(link).digest('base64url');
      const answer = {
        verdict: result.verdict,
        checkedAt: result.checkedAt,
        issuer: { kid: result.kid, province: result.province },
        card: { name: face.name, sex: face.sex, idNumber: `${face.idNumber.slice(0, 6)}********` },
      };
      return { answer, result };
    },
  };
}

/** `sameCrypto`: a bare node:http server doing `bareCrypto` per request. */
export function sameCryptoServer(crypto: BareCrypto): Promise<Server> {
  return jsonServer(
    (body, req) => crypto.check(req.headers.authorization, (body as { code: string }).code).answer,
  );
}

/** `signatureOnly`: a bare node:http server that only checks the code (device signature, issuer cached). */
export function signatureOnlyServer(inspect: InspectOptions): Promise<Server> {
  return jsonServer((body) => {
    const result = inspectCode((body as { code: string }).code, inspect, true);
    return { verdict: result.verdict, checkedAt: result.checkedAt };
  });
}

/**
 * `floor`: `bareCrypto` plus, per group of concurrent checks, one read of the cards by id and one
 * unordered insert into a replay cache of its own, through the raw driver.
 */
export function floorServer(deps: AppDeps, crypto: BareCrypto): Promise<Server> {
  const db = deps.db.db as unknown as mongo.Db;
  const cards = db.collection<{ _id: string }>('cards');
  const uses = db.collection<{ _id: string; expiresAt: Date }>('bench_floor_uses');
  const read = groupCalls<string, boolean>(
    async (ids) => {
      const found = await cards
        .find({ _id: { $in: [...new Set(ids)] } }, { projection: { residentId: 1, status: 1, kid: 1 } })
        .toArray();
      const known = new Set(found.map((d) => d._id));
      return ids.map((id) => known.has(id));
    },
    { concurrency: 2 },
  );
  const write = groupCalls<{ _id: string; expiresAt: Date }, boolean>(
    async (docs) => {
      await uses.insertMany(docs, { ordered: false });
      return docs.map(() => true);
    },
    { concurrency: 2 },
  );
  return jsonServer(async (body, req) => {
    const { answer, result } = crypto.check(req.headers.authorization, (body as { code: string }).code);
    const [known] = await Promise.all([
      read(result.cardId!),
      write({
        _id: `bench:${result.codeDigest!}`,
        expiresAt: new Date(result.codeExpiresAt! + CLOCK_TOLERANCE_MS),
      }),
    ]);
    if (!known) throw new Error('unknown card');
    return answer;
  });
}

/**
 * `services`: a bare node:http server in front of the very services the endpoint uses (token check,
 * staff check, verify service with its database work): what is left between it and the endpoint is
 * the framework.
 */
export function servicesServer(deps: AppDeps): Promise<Server> {
  // A second instance of every service over the same database, as another BFF process would have.
  const { verify } = createServices(deps);
  const staffRepo = createStaffRepository(deps.db);
  return jsonServer(async (body, req) => {
    const claims = deps.keys.verifyToken((req.headers.authorization ?? '').slice(7), 'staff');
    const staff = await staffRepo.byId(claims.sub);
    if (!staff || staff.disabled) throw new Error('staff not active');
    const { code, purpose } = body as { code: string; purpose: string };
    return verify.verify(claims.sub, code, purpose);
  });
}
