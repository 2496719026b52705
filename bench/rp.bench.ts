/**
 * The relying parties' hot paths (issue 16), each beside a bare reference measured in the same run:
 * - `POST /api/v1/rp/verify` (rp/verify.ts) with a registered hotel, v2 hotel check-in codes of many
 *   residents and 50 connections, every request freshly signed (RFC 9421, its own nonce), against a floor
 *   (rp/floor.ts): a bare node:http server doing the same signature and code cryptography with one database
 *   read and one write per group of concurrent requests; the goal is at least 0.8 of it;
 * - callback deliveries per second (rp/callbacks.ts): `verification.completed` events queued for a party
 *   whose callback URL is a local receiver, delivered by the outbox worker (8 at a time), against a bare
 *   node:http keep-alive loop POSTing the same bodies with the same headers to the same receiver at the same
 *   concurrency; the goal is at least 0.5 of it.
 * Each part forks its own server process and database. Bounded: about a minute.
 */
import type { BenchResult } from './types';
import { measureCallbacks } from './rp/callbacks';
import { measureRpVerify } from './rp/verify';

/** The verify endpoint, then the callback deliveries. */
export async function run(): Promise<BenchResult[]> {
  return [...(await measureRpVerify()), ...(await measureCallbacks())];
}
