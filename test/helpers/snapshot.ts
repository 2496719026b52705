import type { Stack } from './stack';

/**
 * The whole database except the rate-limit counters (which count refused requests by design), as one
 * string: equal before and after a request means the request wrote nothing.
 */
export async function databaseSnapshot(stack: Stack): Promise<string> {
  // Heads of chains appended earlier move in the background (docs/identity.md); settle them first so
  // that move is not taken for a write by a refused request.
  await stack.services.usage.flushHeads();
  const db = stack.deps.db.db!;
  const names = (await db.listCollections().toArray())
    .map((c) => c.name)
    .filter((n) => n !== 'rate_limits')
    .sort();
  const docs = await Promise.all(names.map((n) => db.collection(n).find({}).sort({ _id: 1 }).toArray()));
  return JSON.stringify(names.map((n, i) => [n, docs[i]]));
}
