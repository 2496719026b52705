/**
 * The bright card's hot paths, each beside a bare reference measured in the same run:
 * - offline verification of v1 codes (node:crypto, issuer signature cached by credential bytes) against one
 *   bare node:crypto Ed25519 verify of the same bytes: the goal is at least 0.8 of it;
 * - offline verification of v2 codes (issue 14: hotel check-in set and "over 18 only", credential cached),
 *   node:crypto and tweetnacl, each against a bare verify of the code's signature with the same library: the
 *   goal is at least 0.8 on node:crypto (the disclosure's digests must be cheap);
 * - v2 code generation on the device (tweetnacl) against a bare tweetnacl sign of the same bytes;
 * - `POST /api/v1/verify` with v2 hotel check-in codes and 50 connections (autocannon) against a bare
 *   node:http server doing the same crypto: the goal is at least 0.75 of it.
 * The online part (card/online.ts) forks card/serve.ts as a server process (BFF, stand-in systems,
 * bare servers) so that the load generator does not share an event loop with what it measures.
 * Bounded: about a minute.
 */
import type { BenchResult } from './types';
import { measureDevice } from './card/device';
import { measureOffline } from './card/offline';
import { measureOfflineV2 } from './card/offline-v2';
import { measureOnline } from './card/online';

/** Offline (v1, v2), device, then online measurements; how long each part took is printed. */
export async function run(): Promise<BenchResult[]> {
  const parts: string[] = [];
  const timed = async <T>(name: string, part: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const out = await part();
    parts.push(`${name} ${((performance.now() - start) / 1000).toFixed(0)} s`);
    return out;
  };
  const rows = [
    ...(await timed('offline v1', measureOffline)),
    ...(await timed('offline v2', measureOfflineV2)),
    ...(await timed('device', measureDevice)),
    ...(await timed('online', measureOnline)),
  ];
  process.stdout.write(`   parts: ${parts.join(', ')}\n`);
  return rows;
}
