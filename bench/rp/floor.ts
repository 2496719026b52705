/**
 * The floor `POST /api/v1/rp/verify` is measured against (rp.bench.ts): a bare node:http server in the
 * bench's server process doing the same checks with the least work any relying-party verifier with a
 * shared replay store must do, as card/references.ts `floorServer` does for the staff endpoint:
 * - the request signature: shared `verifyRequest` (RFC 9421: form, `created` window, covered components,
 *   node:crypto Ed25519 over the signature base, Content-Digest of the raw body), the key from memory;
 * - the code's cryptography: the device signature (issuer signature cached by credential digest), opening a
 *   sealed identity of the same size (two AES-256-GCM), the usage link's HMAC, the pairwise subject's HMAC
 *   and three random UUIDs (request id, usage event id, webhook id);
 * - per group of concurrent requests one read of the cards by id and one unordered insert of both the
 *   nonce and the code's single use for the party, with the raw driver.
 * No per-party counters, no trace, no outbox: what the endpoint does beyond this is the gap.
 */
import { createHmac, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { mongo } from 'mongoose';
import {
  CLOCK_TOLERANCE_MS,
  MAX_SIGNATURE_SKEW_MS,
  inspectCode,
  verifyRequest,
  type InspectOptions,
} from '@eid/shared';
import type { AppDeps } from '../../bff/src/app';
import { createNodeEd25519, nodeSha256 } from '../../bff/src/infra/ed25519';
import { groupCalls } from '../../bff/src/modules/verify/batch';

/** A face of the same shape and size as the ones the endpoint decrypts (as card/references.ts). */
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

interface Use {
  _id: string;
  expiresAt: Date;
}

/** The floor server: `party` is the registered party whose key signs, `publicKey` its raw key. */
export function rpFloorServer(
  deps: AppDeps,
  inspect: InspectOptions,
  party: { id: string; kid: string; publicKey: Uint8Array },
): Promise<Server> {
  const ed25519 = createNodeEd25519();
  const keys = new Map([[party.kid, { publicKey: party.publicKey }]]);
  const chainKey: KeyObject = createSecretKey(Buffer.alloc(32, 9));
  const aad = 'enrollment.identity:bench';
  const sealed = deps.keys.seal(JSON.stringify(SAMPLE_FACE), aad);
  const db = deps.db.db as unknown as mongo.Db;
  const cards = db.collection<{ _id: string; residentId: string }>('cards');
  const uses = db.collection<Use>('bench_rp_floor_uses');

  const read = groupCalls<string, string>(
    async (ids) => {
      const found = await cards
        .find({ _id: { $in: [...new Set(ids)] } }, { projection: { residentId: 1, status: 1, kid: 1 } })
        .toArray();
      const residents = new Map(found.map((d) => [d._id, d.residentId]));
      return ids.map((id) => residents.get(id) ?? new Error('unknown card'));
    },
    { concurrency: 2 },
  );
  const write = groupCalls<Use[], boolean>(
    async (pairs) => {
      await uses.insertMany(pairs.flat(), { ordered: false });
      return pairs.map(() => true);
    },
    { concurrency: 2 },
  );

  async function handle(req: IncomingMessage, raw: Buffer): Promise<object> {
    const now = deps.clock.now();
    const signed = verifyRequest(
      { method: req.method!, url: `http://${req.headers.host!}${req.url!}`, headers: req.headers, body: raw },
      { resolveKey: (kid) => keys.get(kid), now, verify: ed25519, sha256: nodeSha256 },
    );
    if (!signed.ok) throw new Error(signed.reason);
    const { code, purpose } = JSON.parse(raw.toString('utf8')) as { code: string; purpose: string };
    const requestId = randomUUID();
    const result = inspectCode(code, inspect, true);
    if (result.verdict !== 'valid') throw new Error(result.verdict);
    const [residentId] = await Promise.all([
      read(result.cardId!),
      write([
        {
          _id: `nonce:${signed.keyId}:${signed.nonce!}`,
          expiresAt: new Date(signed.created * 1000 + MAX_SIGNATURE_SKEW_MS),
        },
        {
          _id: `party:${party.id}:${result.codeDigest!}`,
          expiresAt: new Date(result.codeExpiresAt! + CLOCK_TOLERANCE_MS),
        },
      ]),
    ]);
    const { face } = JSON.parse(deps.keys.open(sealed, aad)) as typeof SAMPLE_FACE;
    const link = JSON.stringify({ v: 1, id: randomUUID(), requestId, at: result.checkedAt, face: face.name });
    createHmac('sha256', chainKey).update(link).digest('base64url');
    const subject = deps.keys.pairwiseSubject(party.id, residentId);
    randomUUID();
    return { verdict: result.verdict, checkedAt: result.checkedAt, subject, purpose };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks)).then(
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
