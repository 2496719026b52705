import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BSON, MongoClient, type Db } from 'mongodb';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock } from '@eid/bff/infra/clock';
import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { verifyAllChains } from '@eid/bff/modules/usage/verify-all';
import { spawnLocalMongo, type MongoProcess } from '../../scripts/lib/local-mongo-process';
import { codeOf, holderWithCard, residentIdOf, type Holder } from '../helpers/card-flow';
import { devStaffToken } from '../helpers/document-call';
import { login } from '../helpers/identity';
import { startStack, type Stack } from '../helpers/stack';

/**
 * docs/operations.md "Backups and restore", tested with the stand-in: a logical backup (every collection read
 * with the driver, documents as canonical Extended JSON so dates, binaries and ids keep their types, with its
 * index definitions) of a BFF's database, restored into a fresh database server, serves the same residents:
 * the card still verifies, a code used before the backup is still replayed, and the usage chains verify.
 */

interface Dump {
  collections: { name: string; indexes: BSON.Document[]; documents: BSON.Document[] }[];
}

async function dump(db: Db): Promise<string> {
  const out: Dump = { collections: [] };
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    const collection = db.collection(name);
    out.collections.push({
      name,
      indexes: await collection.listIndexes().toArray(),
      documents: await collection.find({}).toArray(),
    });
  }
  return BSON.EJSON.stringify(out, { relaxed: false });
}

async function restore(db: Db, text: string): Promise<void> {
  const backup = BSON.EJSON.parse(text, { relaxed: false }) as Dump;
  for (const { name, indexes, documents } of backup.collections) {
    const collection = db.collection(name);
    await db.createCollection(name).catch(() => undefined);
    const specs = indexes
      .filter((i) => i.name !== '_id_')
      .map(({ key, name: indexName, unique, expireAfterSeconds, partialFilterExpression, sparse }) => ({
        key,
        name: indexName,
        ...(unique !== undefined && { unique }),
        ...(sparse !== undefined && { sparse }),
        ...(expireAfterSeconds !== undefined && { expireAfterSeconds }),
        ...(partialFilterExpression !== undefined && { partialFilterExpression }),
      }));
    if (specs.length > 0) await collection.createIndexes(specs as never);
    if (documents.length > 0) await collection.insertMany(documents, { ordered: true });
  }
}

let mocks: Mocks;
let fresh: MongoProcess | undefined;
let restored: Stack | undefined;
let dir: string;

beforeAll(async () => {
  mocks = await startMocks({ clock: manualClock(Date.now()), faceHangMs: 2000 });
  dir = await mkdtemp(path.join(tmpdir(), 'eid-backup-'));
});
afterAll(async () => {
  await restored?.stop();
  await fresh?.stop();
  await mocks?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('when a database is backed up collection by collection and restored into a fresh server, then the BFF on it serves the same residents: the card verifies, a used code stays used, the chains verify', async () => {
  const original = await startStack({ mocks });
  let holder: Holder;
  let usedCode: string;
  const backupFile = path.join(dir, 'eid.ejson');
  const counts = new Map<string, number>();
  try {
    holder = await holderWithCard(original);
    const staff = await devStaffToken(original);
    usedCode = codeOf(original, holder);
    const first = await original.api('POST', '/api/v1/verify', {
      token: staff,
      body: { code: usedCode, purpose: 'hotel_check_in' },
    });
    expect(first.body.verdict).toBe('valid');

    const mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
    try {
      const db = mongo.db(original.config.MONGODB_DB);
      await writeFile(backupFile, await dump(db));
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
        counts.set(name, await db.collection(name).countDocuments());
    } finally {
      await mongo.close();
    }
  } finally {
    // The original database is dropped: from here only the backup file holds the data.
    await original.stop();
  }
  expect(counts.get('cards')).toBe(1);
  expect(counts.get('usage_events')).toBeGreaterThan(0);

  fresh = await spawnLocalMongo();
  const target = await new MongoClient(fresh.uri).connect();
  try {
    await restore(target.db('eid_restored'), await readFile(backupFile, 'utf8'));
    for (const [name, n] of counts)
      expect({ name, n: await target.db('eid_restored').collection(name).countDocuments() }).toEqual({
        name,
        n,
      });
  } finally {
    await target.close();
  }

  restored = await startStack({ mocks, dbName: 'eid_restored', env: { MONGODB_URI: fresh.uri } });
  const staff = await devStaffToken(restored);
  const verify = (code: string) =>
    restored!.api('POST', '/api/v1/verify', { token: staff, body: { code, purpose: 'hotel_check_in' } });
  expect((await verify(usedCode)).body.verdict).toBe('replayed');
  const again = await verify(codeOf(restored, holder));
  expect(again.body.verdict).toBe('valid');
  expect(again.body.card).toEqual(expect.objectContaining({ name: expect.any(String) }));

  // The same super-app user is the same resident, holding the same card.
  const session = await login(restored, holder.userKey);
  expect(residentIdOf(session.accessToken)).toBe(residentIdOf(holder.token));
  const card = await restored.api('GET', '/api/v1/card', { token: session.accessToken });
  expect(card.status).toBe(200);
  expect(card.body).toMatchObject({ cardId: holder.card.cardId, status: 'active' });

  const chains = await verifyAllChains(createUsageRepository(restored.deps.db), restored.deps.keys);
  expect(chains.broken).toEqual([]);
  expect(chains.chains).toBeGreaterThanOrEqual(1);
  const trace = await restored.api('GET', '/api/v1/usage?limit=100', { token: session.accessToken });
  // Newest first: the check before the backup is still in the chain, followed by the two made after it.
  const verdicts = trace.body.items
    .filter((e: { action: string }) => e.action === 'card.verify')
    .map((e: { detail: { verdict: string } }) => e.detail.verdict);
  expect(verdicts).toEqual(['valid', 'replayed', 'valid']);
}, 90_000);
