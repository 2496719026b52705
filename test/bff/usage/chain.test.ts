import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@eid/bff/config';
import { manualClock } from '@eid/bff/infra/clock';
import { createKeyStore } from '@eid/bff/infra/keystore';
import type { UsageEventDoc } from '@eid/bff/modules/usage/usage.model';
import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { HEADS_LAG_MS, verifyAllChains } from '@eid/bff/modules/usage/usage.service';
import { canonicalJson, linkHash, verifyChain } from '@eid/bff/modules/usage/usage-chain';
import { createServices } from '@eid/bff/app';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson } from '../../helpers/identity';
import { staffEvent } from '../../helpers/usage';

const CLI = path.resolve(__dirname, '../../../bff/src/modules/usage/verify-chain.cli.ts');

/** Runs `npm run usage:verify`'s script against one database and collects its output and exit code. */
function runVerifyCli(stack: Stack): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      MONGODB_URI: stack.config.MONGODB_URI,
      MONGODB_DB: stack.config.MONGODB_DB,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

describe('usage: the hash chain', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** A fresh usage service over the same database, as another BFF process has. */
  const service = () => createServices(stack.deps).usage;
  const events = () => stack.deps.db.collection('usage_events');

  it('when canonical JSON is made, then key order does not matter and undefined members vanish', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe(
      '{"a":{"b":null,"d":[1,"x"]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('when the documented test vectors are hashed, then the key store and a bare HMAC agree with them and the chain holds', async () => {
    const vectors = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../docs/formats/vectors/usage-chain.json'), 'utf8'),
    ) as { blindIndexKeyBase64: string; links: (UsageEventDoc & { canonical: string })[] };
    const keys = createKeyStore(
      loadConfig({ NODE_ENV: 'test', EID_BLIND_INDEX_KEY: vectors.blindIndexKeyBase64 }),
      manualClock(),
    );
    const bare = (canonical: string) =>
      createHmac('sha256', Buffer.from(vectors.blindIndexKeyBase64, 'base64'))
        .update(`usage-chain\u0000${canonical}`)
        .digest('base64url');
    const links = vectors.links.map(({ canonical, ...link }) => {
      expect(bare(canonical)).toBe(link.hash);
      expect(linkHash(keys, link)).toBe(link.hash);
      return link;
    });
    async function* stream() {
      yield* links;
    }
    expect(await verifyChain(keys, 'r-vector', stream(), 2)).toEqual({ broken: null, length: 2 });
  });

  it('when two processes append to one chain at once, then every event gets its own seq and the chain holds', async () => {
    // Two service instances stand for two BFF processes: only the database orders them.
    const [a, b] = [service(), service()];
    const residentId = 'resident-concurrent';
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).record(staffEvent(residentId, `p${i}`))),
    );
    const seqs = (await events().find({ residentId }).sort({ seq: 1 }).toArray()).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const report = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
    expect(report.broken).toEqual([]);
  });

  it('when every chain is intact, then the command prints OK and exits 0', async () => {
    await enroll(stack, freshPerson());
    const run = await runVerifyCli(stack);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^OK: \d+ chains, \d+ intact events, 0 broken$/m);
  });

  it('when a chain has just been appended, then its head lags by at most the documented interval and never runs ahead', async () => {
    const residentId = 'resident-lagging-head';
    const head = () =>
      stack.deps.db.collection<{ _id: string; seq: number }>('usage_heads').findOne({ _id: residentId });
    // The service's heads timer runs on fake time, so "at most HEADS_LAG_MS" is checked exactly rather
    // than waited for. Only the global setTimeout is faked: the database driver keeps its own timers.
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
      ],
    });
    try {
      const usage = service();
      for (let i = 0; i < 3; i += 1) await usage.record(staffEvent(residentId, 'finance'));
      // Recorded; the head may not have moved yet, but it never runs ahead, and lagging is not "broken".
      expect((await head())?.seq ?? 0).toBeLessThanOrEqual(3);
      expect((await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys)).broken).toEqual(
        [],
      );
      // Once HEADS_LAG_MS has passed, without any flush, the service's own timer has set the head moving;
      // its write is then awaited over real I/O (polled in bounded turns, no timer decides).
      jest.advanceTimersByTime(HEADS_LAG_MS);
      let moved = await head();
      for (let i = 0; moved?.seq !== 3 && i < 500; i += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        moved = await head();
      }
      expect(moved).toMatchObject({ seq: 3 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('when one audit record is altered, then the check names that resident and seq, and the command exits 1', async () => {
    const residentId = 'resident-tampered';
    const usage = service();
    for (let i = 0; i < 6; i += 1) await usage.record(staffEvent(residentId, 'finance'));
    // Someone with database access rewrites the purpose of the fourth record.
    await events().updateOne({ residentId, seq: 4 }, { $set: { purpose: 'medical_care' } });

    const report = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
    expect(report.broken).toEqual([
      { residentId, seq: 4, problem: 'hash_mismatch', detail: expect.stringContaining('altered') },
    ]);
    const run = await runVerifyCli(stack);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`BROKEN resident=${residentId} seq=4 problem=hash_mismatch`);
    expect(run.out).toMatch(/^FAILED: .* 1 broken$/m);
    await events().updateOne({ residentId, seq: 4 }, { $set: { purpose: 'finance' } });
  });

  it('when a record is re-hashed without the key, deleted in the middle, or cut from the end, then each is pinpointed', async () => {
    const usage = service();
    const repo = createUsageRepository(stack.deps.db);
    for (const id of ['rehashed', 'gap', 'cut']) {
      for (let i = 0; i < 4; i += 1) await usage.record(staffEvent(`resident-${id}`, 'finance'));
    }
    // Heads follow their chains within HEADS_LAG_MS; a cut made before then goes unnoticed (docs/identity.md).
    await usage.flushHeads();
    await events().updateOne(
      { residentId: 'resident-rehashed', seq: 2 },
      { $set: { hash: 'forged-hash-of-record-two' } },
    );
    await events().deleteOne({ residentId: 'resident-gap', seq: 2 });
    await events().deleteOne({ residentId: 'resident-cut', seq: 4 });

    const { broken } = await verifyAllChains(repo, stack.deps.keys);
    const byResident = Object.fromEntries(broken.map((b) => [b.residentId, [b.seq, b.problem]]));
    expect(byResident['resident-rehashed']).toEqual([2, 'hash_mismatch']);
    expect(byResident['resident-gap']).toEqual([2, 'seq_gap']);
    expect(byResident['resident-cut']).toEqual([4, 'truncated']);
  });

  it('when a record is rewritten and re-hashed with the key but the next one is left alone, then the next link is pinpointed', async () => {
    const usage = service();
    const residentId = 'resident-spliced';
    for (let i = 0; i < 4; i += 1) await usage.record(staffEvent(residentId, 'finance'));
    await usage.flushHeads();
    // Someone holding the chain key rewrites the purpose of record 2 and gives it a hash that fits.
    const { hash: _old, ...two } = (await events().findOne({
      residentId,
      seq: 2,
    })) as unknown as UsageEventDoc;
    const rewritten = { ...two, purpose: 'medical_care' };
    await events().updateOne(
      { residentId, seq: 2 },
      { $set: { purpose: rewritten.purpose, hash: linkHash(stack.deps.keys, rewritten) } },
    );

    const { broken } = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
    expect(broken.filter((b) => b.residentId === residentId)).toEqual([
      { residentId, seq: 3, problem: 'prev_hash_mismatch', detail: expect.any(String) },
    ]);
  });
});
