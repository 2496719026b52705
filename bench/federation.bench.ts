/**
 * The federation's hot paths (issue 18), each beside a reference measured in the same run:
 * - a Hubei (42) window verifying a Shandong (37) code online, which asks Shandong's node for live status
 *   and records the use there, against a Shandong window verifying Shandong codes at home: the ratio is what
 *   crossing a province costs (one signed node call, its verified signed answer);
 * - opening a trust bundle (national signature, checkpoint log signature, witness cosignatures, inclusion
 *   proof) per second with node:crypto and with tweetnacl (the mini-program's library), against the bare
 *   Ed25519 verifies the bundle carries (1 + 1 + cosignatures);
 * - the terminal bundle's size for 10 million cards per province (three provinces).
 * The nodes are separate OS processes (national, 37, 42), each with its own database on one local stand-in,
 * as test/helpers/federation.ts starts them for the e2e suites. Bounded: about a minute.
 */
import { cpus } from 'node:os';
import {
  estimateTerminalBundleSize,
  openTrustBundle,
  tweetnaclEd25519,
  type Ed25519,
  type TrustBundle,
} from '@eid/shared';
import { nodeSha256 } from '../bff/src/infra/ed25519';
import { systemClock } from '../bff/src/infra/clock';
import { startFederation, type Federation, type FederationNode } from '../test/helpers/federation';
import { enroll, freshPerson } from '../test/helpers/identity';
import { devBundleTrust } from '../test/helpers/national';
import { DEV_STAFF } from '../test/helpers/stack';
import { benchDatabase } from './forked';
import { combine, Codes, CONNECTIONS, load, type Target } from './card/load';
import { alternate, ed, PURPOSE } from './card/common';
import { hotelCodes, issueCard, type Holder } from './holders';
import { scaled } from './options';
import type { BenchResult } from './types';

const DURATION_S = scaled(4, 2);
const WARMUP_S = scaled(2, 1);
const HOLDERS = 8;
/** Distinct codes per target: each node accepts a code once. */
const CODES_PER_TARGET = scaled(12_000, 6000);

/** Bundle opens per second with `lib`, beside that many bare verifies of the bundle's signatures. */
function bundleRows(bundle: TrustBundle): BenchResult[] {
  const trust = devBundleTrust(systemClock);
  const now = Date.now();
  // Signatures a full open checks: the list's root signature, the log's, and every cosignature line.
  const cosignatures = bundle.checkpoint.split('\n').filter((l) => l.startsWith('— witness-')).length;
  const signatures = 2 + cosignatures;
  const keys = ed.keyPairFromSeed(new Uint8Array(32).fill(18));
  const message = new TextEncoder().encode(bundle.signed.list);
  const row = (name: string, lib: Ed25519, batch: number): BenchResult => {
    const sig = lib.sign(keys.secretKey, message);
    const measured = alternate(
      () => openTrustBundle(bundle, trust, now, undefined, lib, nodeSha256),
      () => {
        for (let i = 0; i < signatures; i++) lib.verify(keys.publicKey, message, sig);
      },
      { rounds: scaled(5, 3), batch },
    );
    return { name, reference: `${signatures} bare verifies (one per signature line)`, ...measured };
  };
  return [
    row(`trust bundle open (node:crypto, ${signatures} signatures)`, ed, scaled(400, 200)),
    row(`trust bundle open (tweetnacl, ${signatures} signatures)`, tweetnaclEd25519, 4),
  ];
}

/** The size row: its figure is bytes, not a rate. */
function sizeRows(bundle: TrustBundle): BenchResult[] {
  const estimate = estimateTerminalBundleSize({
    provinces: ['37', '42', '11'],
    cardsPerProvince: 10_000_000,
    trust: bundle,
    at: Date.now(),
    seed: 18,
  });
  process.stdout.write(
    `   terminal bundle, 3 provinces x 10,000,000 cards, 1% revoked / 0.1% suspended: ` +
      `${(estimate.bytes / 1024).toFixed(0)} KiB (trust ${estimate.trustBytes} B; status lists ` +
      `${estimate.statusListBytes.map((b) => `${(b / 1024).toFixed(0)} KiB`).join(', ')}; ` +
      `incompressible bound ${(estimate.worstCaseBytes / 1024 / 1024).toFixed(1)} MiB)\n`,
  );
  // One province's offline verification bundle (trust bundle and its status list) for 10 million cards.
  const one = estimateTerminalBundleSize({
    provinces: ['37'],
    cardsPerProvince: 10_000_000,
    trust: bundle,
    at: Date.now(),
    seed: 18,
  });
  return [
    {
      name: 'offline bundle, 10M cards (1 province)',
      opsPerSec: one.bytes,
      unit: 'bytes',
      reference: 'incompressible bound (2 bits a card, stored)',
      referenceOpsPerSec: one.worstCaseBytes,
    },
    {
      name: 'terminal bundle (3 x 10M cards)',
      opsPerSec: estimate.bytes,
      unit: 'bytes',
      reference: 'incompressible bound (2 bits a card, stored)',
      referenceOpsPerSec: estimate.worstCaseBytes,
    },
  ];
}

async function staffToken(node: FederationNode): Promise<string> {
  const res = await node.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
  if (res.status !== 200) throw new Error(`staff login at ${node.who}: ${res.status}`);
  return res.body.accessToken as string;
}

/** `count` distinct hotel check-in codes of residents of `node`. */
async function codesAt(node: FederationNode, count: number): Promise<string[]> {
  const front = { api: node.api, mocks: node.mocks! };
  const holders: Holder[] = [];
  for (let i = 0; i < HOLDERS; i++) {
    const { token } = await enroll(front, freshPerson());
    holders.push(await issueCard(node.api, token, node.who));
  }
  return hotelCodes(holders)(count);
}

export async function run(): Promise<BenchResult[]> {
  const mongo = await benchDatabase();
  const previousUri = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongo.uri;
  let federation: Federation | undefined;
  let bundle: TrustBundle | undefined;
  const rows: BenchResult[] = [];
  try {
    federation = await startFederation({ provinces: ['37', '42'] });
    const shandong = federation.provinces['37']!;
    const hubei = federation.provinces['42']!;
    for (const node of [shandong, hubei]) await federation.waitForList(node, federation.firstSequence ?? 1);
    const bundleRes = await hubei.api('GET', '/api/v1/federation/terminal-bundle');
    if (bundleRes.status !== 200) throw new Error(`terminal bundle: ${bundleRes.status}`);
    bundle = bundleRes.body.trust as TrustBundle;

    // Codes first: making them takes seconds, longer than a node keeps an idle connection open.
    const codes = await codesAt(shandong, 2 * CODES_PER_TARGET);
    // The loop was blocked meanwhile: let the sockets the nodes closed be seen as closed before reuse.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [atHome, visiting] = [await staffToken(shandong), await staffToken(hubei)];
    const target = (name: string, node: FederationNode, token: string, list: string[]) =>
      ({
        name: name as Target['name'],
        url: node.url,
        path: '/api/v1/verify',
        token,
        codes: new Codes(list),
        spent: { server: 0, db: 0 },
        runs: [] as Target['runs'],
      }) satisfies Target;
    const same = target('endpoint', shandong, atHome, codes.slice(0, CODES_PER_TARGET));
    const cross = target('endpoint', hubei, visiting, codes.slice(CODES_PER_TARGET));
    // The visiting answer must really come from the home node: a valid verdict, not status unknown.
    const probe = await hubei.api('POST', '/api/v1/verify', {
      token: visiting,
      body: { code: cross.codes.take(), purpose: PURPOSE },
    });
    if (probe.status !== 200 || probe.body.verdict !== 'valid' || probe.body.status === 'unknown')
      throw new Error(`bench setup: cross-province verdict ${JSON.stringify(probe.body)}`);

    for (const t of [same, cross]) await load(t, WARMUP_S);
    // AB BA: each side gets an early and a late turn as the databases grow.
    for (const t of [same, cross, cross, same]) t.runs.push(await load(t, DURATION_S / 2));
    const result = (t: Target) => {
      const r = combine(t.runs[0]!, t.runs[1]!);
      if (r.non2xx + r.errors + r.timeouts > 0)
        throw new Error(`bench federation: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      if (t.codes.wrapped) throw new Error('bench federation: ran out of codes, raise CODES_PER_TARGET');
      return r;
    };
    const a = result(cross);
    const b = result(same);
    process.stdout.write(
      `   layout: autocannon in the bench process; national, 37 and 42 each a BFF process; one database ` +
        `stand-in process (a database each); ${cpus().length} CPUs\n`,
    );
    rows.push({
      name: `cross-province POST /api/v1/verify (${CONNECTIONS} conn)`,
      opsPerSec: a.requests.average,
      p50Ms: a.latency.p50,
      p99Ms: a.latency.p99,
      reference: 'same-province POST /api/v1/verify',
      referenceOpsPerSec: b.requests.average,
      referenceP99Ms: b.latency.p99,
      ratio: a.requests.average / b.requests.average,
    });
  } finally {
    await federation?.stop();
    await mongo.stop();
    if (previousUri === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previousUri;
  }
  // The CPU-bound rows once the nodes have stopped, so that they measure this process alone.
  return [...bundleRows(bundle), ...sizeRows(bundle), ...rows];
}
