/**
 * The bright card's hot paths, each beside a bare reference measured in the same run:
 * - offline verification (node:crypto, issuer signature cached by credential digest) against one bare
 *   node:crypto Ed25519 verify of the same bytes: the goal is at least 0.8 of it;
 * - `POST /api/v1/verify` with 50 connections (autocannon) against a bare node:http server doing the
 *   same crypto: the goal is at least 0.75 of it.
 * The online part (card/online.ts) forks card/serve.ts as a server process (BFF, stand-in systems,
 * bare servers) so that the load generator does not share an event loop with what it measures.
 * Bounded: well under 60 s.
 */
import type { BenchResult } from './types';
import { measureOffline } from './card/offline';
import { measureOnline } from './card/online';

/** Offline then online measurements. */
export async function run(): Promise<BenchResult[]> {
  return [...measureOffline(), ...(await measureOnline())];
}
