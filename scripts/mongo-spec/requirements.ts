/**
 * runOnRequirements (unified format §runOnRequirement) against the server under test: its version, its
 * topology, and what this runner knows of itself (no authentication, no Atlas Serverless, no CSFLE).
 */
import type { Document, MongoClient } from 'mongodb';
import { numericValue } from './matcher';

/** What the requirements are checked against. */
export interface ServerFacts {
  version: string;
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  auth: boolean;
  /** getParameter results, fetched once per parameter. */
  parameter(name: string): Promise<unknown>;
}

/** Compares dotted version strings component by component ("4.0.10" > "4.0.9" > "3.6"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Learns the facts from the internal client. */
export async function serverFacts(client: MongoClient): Promise<ServerFacts> {
  const admin = client.db('admin');
  const info = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const topology = hello.msg === 'isdbgrid' ? 'sharded' : hello.setName ? 'replicaset' : 'single';
  const cache = new Map<string, Promise<unknown>>();
  return {
    version: String(info.version).replace(/-.*$/, ''),
    topology,
    auth: false,
    parameter: (name) => {
      if (!cache.has(name))
        cache.set(
          name,
          admin.command({ getParameter: 1, [name]: 1 }).then(
            (r: Document) => r[name],
            () => undefined,
          ),
        );
      return cache.get(name)!;
    },
  };
}

/** Why one requirement is not met, or undefined when it is. */
async function unmet(req: Document, facts: ServerFacts): Promise<string | undefined> {
  if (req.minServerVersion && compareVersions(facts.version, req.minServerVersion) < 0)
    return `needs server >= ${req.minServerVersion} (server is ${facts.version})`;
  if (req.maxServerVersion && compareVersions(facts.version, req.maxServerVersion) > 0)
    return `needs server <= ${req.maxServerVersion} (server is ${facts.version})`;
  if (req.topologies) {
    const ok = (req.topologies as string[]).some((t) => t === facts.topology);
    if (!ok) return `needs topology ${(req.topologies as string[]).join('|')} (server is ${facts.topology})`;
  }
  if (req.serverless === 'require') return 'needs Atlas Serverless';
  if (req.auth === true && !facts.auth) return 'needs authentication';
  if (req.auth === false && facts.auth) return 'needs no authentication';
  if (req.authMechanism) return `needs auth mechanism ${req.authMechanism}`;
  if (req.csfle !== undefined && req.csfle !== false) return 'needs client-side field level encryption';
  if (req.serverParameters) {
    for (const [name, want] of Object.entries(req.serverParameters as Document)) {
      const got = await facts.parameter(name);
      const a = numericValue(got);
      const b = numericValue(want);
      const same = a !== undefined && b !== undefined ? a == b : got === want;
      if (!same) return `needs server parameter ${name}=${String(want)} (server has ${String(got)})`;
    }
  }
  return undefined;
}

/** Why none of the requirements is met (the first one's reason), or undefined when one is. */
export async function whyNotRunnable(
  reqs: Document[] | undefined,
  facts: ServerFacts,
): Promise<string | undefined> {
  if (!reqs || reqs.length === 0) return undefined;
  const reasons: string[] = [];
  for (const r of reqs) {
    const why = await unmet(r, facts);
    if (!why) return undefined;
    reasons.push(why);
  }
  return [...new Set(reasons)].join('; or ');
}
