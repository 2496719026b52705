import http, { type Server } from 'node:http';
import {
  addNoteSignatures,
  base64Encode,
  cosignatureLine,
  createCosigner,
  ed25519NoteSigner,
  formatCheckpoint,
  merkleConsistencyProof,
  merkleInclusionProof,
  merkleLeafHash,
  merkleRoot,
  parseVerifierKey,
  signNote,
  utf8Encode,
  type FederationKey,
  type NationalTrustList,
  type ProvinceNode,
  type TrustBundle,
} from '@eid/shared';
import { signNationalTrustList } from '@eid/shared';
import { loadConfig } from '@eid/bff/config';
import type { Clock } from '@eid/bff/infra/clock';
import { createKeyStore, devFederationKeys, type KeyStore } from '@eid/bff/infra/keystore';
import type { Stack } from './stack';

/**
 * A national trust log built in the test from the development national's keys (root, log) and the
 * development witnesses of provinces 37, 42 and 11: what the national role publishes, without its database,
 * so a test can also play a national operator who lies (two trees, a bundle a witness never saw).
 */

export const LOG_ORIGIN = 'eid.gov.cn/national-trust-log';
export const DAY = 86_400_000;

const keyStores = new Map<string, KeyStore>();
/** The development key store of a province node, or of the national role (`national`). */
export function devKeyStore(who: string, clock: Clock): KeyStore {
  let keys = keyStores.get(who);
  if (!keys) {
    const config = loadConfig(
      who === 'national'
        ? { NODE_ENV: 'test', NODE_ROLE: 'national' }
        : { NODE_ENV: 'test', PROVINCE_CODE: who },
    );
    keys = createKeyStore(config, clock);
    keyStores.set(who, keys);
  }
  return keys;
}

/** The development keys of `province` as list entries: its node and issuer keys, active since `since`. */
export function devKeysOf(province: string, since: number): FederationKey[] {
  const dev = devFederationKeys(province);
  const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  return [
    {
      kid: dev.nodeKid,
      province,
      use: 'node',
      publicKey: b64url(dev.nodePublicKey),
      notBefore: since,
      status: 'active',
      history: [{ at: since, status: 'active' }],
    },
    {
      kid: dev.issuerKid,
      province,
      use: 'issuer',
      publicKey: b64url(dev.issuerPublicKey),
      notBefore: since,
      status: 'active',
      history: [{ at: since, status: 'active' }],
    },
  ];
}

export const PROVINCE_NAMES: Record<string, string> = { '37': '山东省', '42': '湖北省', '11': '北京市' };

/** A list of the given nodes with their development keys, issued `issuedAt`, valid 48 hours. */
export function listOf(
  sequence: number,
  issuedAt: number,
  nodes: { province: string; url: string }[],
  edit: (keys: FederationKey[]) => FederationKey[] = (k) => k,
): NationalTrustList {
  const provinces: ProvinceNode[] = nodes.map((n) => ({
    province: n.province,
    name: PROVINCE_NAMES[n.province] ?? n.province,
    url: n.url,
  }));
  return {
    v: 2,
    sequence,
    issuedAt,
    expiresAt: issuedAt + 2 * DAY,
    provinces,
    keys: edit(nodes.flatMap((n) => devKeysOf(n.province, issuedAt - DAY))),
  };
}

/** Marks `kid` compromised at `at` (history kept). */
export function compromised(keys: FederationKey[], kid: string, at: number): FederationKey[] {
  return keys.map((k) =>
    k.kid === kid
      ? {
          ...k,
          status: 'compromised',
          history: [...k.history, { at, status: 'compromised', reason: 'test' }],
        }
      : k,
  );
}

export class NationalLog {
  readonly leaves: Uint8Array[] = [];
  readonly signed: TrustBundle['signed'][] = [];
  private readonly national: KeyStore;

  constructor(
    private readonly clock: Clock,
    /** Provinces whose development witnesses cosign each checkpoint unless told otherwise. */
    readonly witnesses: readonly string[] = ['37', '42', '11'],
  ) {
    this.national = devKeyStore('national', clock);
  }

  /** The log's verifier key (pinned by nodes: FEDERATION_LOG_KEY). */
  get logKey(): string {
    return this.national.logVerifierKey();
  }

  /** Appends a signed list; answers its leaf index. */
  append(list: NationalTrustList): number {
    const signed = signNationalTrustList(list, 'national-root-1', (m) => this.national.signAsTrustRoot(m));
    this.signed.push(signed);
    this.leaves.push(merkleLeafHash(utf8Encode(signed.list)));
    return this.leaves.length - 1;
  }

  /** The checkpoint text of the first `size` leaves. */
  checkpointText(size = this.leaves.length): string {
    return formatCheckpoint({
      origin: LOG_ORIGIN,
      size,
      rootHash: merkleRoot(this.leaves, size),
      extensions: [],
    });
  }

  /** The checkpoint note signed by the log only. */
  logSigned(size = this.leaves.length): string {
    const signer = ed25519NoteSigner(LOG_ORIGIN, parseVerifierKey(this.logKey).publicKey, (m) =>
      this.national.signAsLog(m),
    );
    return signNote(this.checkpointText(size), [signer]);
  }

  /** The checkpoint note with the log's signature and cosignatures of `cosigners` at the clock's time. */
  cosigned(size = this.leaves.length, cosigners: readonly string[] = this.witnesses): string {
    const text = this.checkpointText(size);
    const lines = cosigners
      .map((p) => {
        const keys = devKeyStore(p, this.clock);
        const cosigner = createCosigner(keys.witnessName(), keys.witnessPublicKey(), (m) =>
          keys.signAsWitness(m),
        );
        return cosignatureLine(text, cosigner, Math.floor(this.clock.now() / 1000));
      })
      .join('');
    return lines ? addNoteSignatures(this.logSigned(size), lines) : this.logSigned(size);
  }

  /** A consistency proof between two sizes, base64. */
  consistency(fromSize: number, size = this.leaves.length): string[] {
    return fromSize === 0 || fromSize === size
      ? []
      : merkleConsistencyProof(this.leaves, fromSize, size).map(base64Encode);
  }

  /** The bundle of leaf `index` (the latest by default) under the checkpoint of `size`, as the national serves it. */
  /** Pushes the whole log to each node's trust-push endpoint, as the national does; throws unless each takes it. */
  async pushTo(nodes: readonly Pick<Stack, 'api'>[]): Promise<void> {
    for (const node of nodes) {
      const res = await node.api('POST', '/api/v1/federation/trust-push', { body: this.bundle() });
      if (res.status !== 200)
        throw new Error(`trust-push answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }

  bundle(
    options: {
      from?: number;
      index?: number;
      size?: number;
      cosigners?: readonly string[];
      checkpoint?: string;
    } = {},
  ): TrustBundle {
    const size = options.size ?? this.leaves.length;
    const index = options.index ?? size - 1;
    const bundle: TrustBundle = {
      signed: this.signed[index]!,
      checkpoint: options.checkpoint ?? this.cosigned(size, options.cosigners),
      inclusion: { index, hashes: merkleInclusionProof(this.leaves, index, size).map(base64Encode) },
    };
    if (options.from !== undefined && options.from > 0 && options.from !== size)
      bundle.consistency = { fromSize: options.from, hashes: this.consistency(options.from, size) };
    return bundle;
  }

  /** A second log with the same leaves so far: what a lying national shows another province. */
  fork(): NationalLog {
    const other = new NationalLog(this.clock, this.witnesses);
    other.leaves.push(...this.leaves);
    other.signed.push(...this.signed);
    return other;
  }
}

/** A stand-in national role serving `log()`'s bundle at `GET /api/v1/national/trust-bundle[?from=]`. */
export interface NationalStandIn {
  url: string;
  /** Requests it answered, by path and query. */
  hits: string[];
  /** Replaces what it serves (e.g. another tree for one province). */
  serve(log: NationalLog | ((from: number | undefined) => TrustBundle | undefined)): void;
  stop(): Promise<void>;
}

export async function startNationalStandIn(log: NationalLog): Promise<NationalStandIn> {
  let source: NationalLog | ((from: number | undefined) => TrustBundle | undefined) = log;
  const hits: string[] = [];
  const server: Server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://national');
    if (req.method !== 'GET' || url.pathname !== '/api/v1/national/trust-bundle') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND"}');
      return;
    }
    const fromText = url.searchParams.get('from');
    const from = fromText === null ? undefined : Number(fromText);
    const bundle = typeof source === 'function' ? source(from) : source.bundle({ from });
    if (!bundle) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"FEDERATION_NOT_CONFIGURED"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(bundle));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    serve(next) {
      source = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
