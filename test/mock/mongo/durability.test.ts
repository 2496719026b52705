/**
 * Durability of the stand-in's data directory. These tests are about the stand-in process itself (its
 * journal, `kill -9`, its command line), so they always start their own, whatever MONGODB_URI says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';
import { ownLocalServer } from './target';

const CLI = path.resolve(__dirname, '../../../mock/src/mongo/cli.ts');

interface CliProcess {
  child: ChildProcess;
  uri: string;
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<number | null>;
}

// Every child this suite starts, so a failing test cannot leave a server running.
const children = new Set<ChildProcess>();

function runCli(args: string[]): {
  child: ChildProcess;
  stdoutLines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stdoutLines: string[] = [];
  let stderr = '';
  readline.createInterface({ input: child.stdout! }).on('line', (line) => stdoutLines.push(line));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdoutLines, stderr: () => stderr, exited };
}

async function startCli(dataDir: string): Promise<CliProcess> {
  const run = runCli(['--port', '0', '--data-dir', dataDir]);
  for (let i = 0; i < 300 && run.stdoutLines.length === 0; i++) {
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const line = run.stdoutLines[0];
  if (!line) throw new Error(`the CLI did not start: ${run.stderr()}`);
  const event = JSON.parse(line) as { event: string; uri: string };
  expect(event.event).toBe('listening');
  return { ...run, uri: event.uri };
}

async function killHard(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGKILL');
  await cli.exited;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'eid-mongo-durability-'));
});

afterEach(async () => {
  for (const child of children) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the stand-in with a data directory', () => {
  it('when the process is killed with SIGKILL after acknowledged writes, then a restart has every one of them', async () => {
    const first = await startCli(dir);
    let client = await new MongoClient(first.uri).connect();
    const db = client.db('durable');
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db
      .collection('users')
      .insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: i as never, email: `u${i}@x.cn` })));
    await db.collection('users').updateOne({ _id: 7 as never }, { $set: { name: 'seven' } });
    await db.collection('users').deleteOne({ _id: 8 as never });
    const session = client.startSession();
    await session.withTransaction(async () => {
      await db.collection('users').insertOne({ _id: 'txn' as never, email: 'txn@x.cn' }, { session });
      await db.collection('users').deleteOne({ _id: 9 as never }, { session });
    });
    session.startTransaction();
    await db.collection('users').insertOne({ _id: 'aborted' as never, email: 'no@x.cn' }, { session });
    await session.abortTransaction();
    await session.endSession();
    await client.close();
    await killHard(first);
    // A frame torn by the crash (never acknowledged) must be cut, not fail the restart.
    const journals = readdirSync(dir)
      .filter((f) => f.startsWith('journal-'))
      .sort();
    appendFileSync(path.join(dir, journals.at(-1)!), Buffer.from([200, 0, 0, 0, 1, 2, 3]));

    const second = await startCli(dir);
    expect(second.stdoutLines).toHaveLength(1);
    client = await new MongoClient(second.uri).connect();
    const users = client.db('durable').collection('users');
    expect(await users.countDocuments()).toBe(199);
    expect(await users.findOne({ _id: 7 as never })).toMatchObject({ name: 'seven' });
    expect(await users.findOne({ _id: 8 as never })).toBeNull();
    expect(await users.findOne({ _id: 9 as never })).toBeNull();
    expect(await users.findOne({ _id: 'txn' as never })).not.toBeNull();
    expect(await users.findOne({ _id: 'aborted' as never })).toBeNull();
    await expect(users.insertOne({ email: 'u1@x.cn' })).rejects.toMatchObject({ code: 11000 });
    await client.close();
    expect(second.stderr()).toContain('torn bytes cut');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(path.join(dir, 'snapshot.bson'))).toBe(true);
    expect(existsSync(path.join(dir, 'mongod.lock'))).toBe(false);

    const third = await startCli(dir);
    client = await new MongoClient(third.uri).connect();
    expect(await client.db('durable').collection('users').countDocuments()).toBe(199);
    await client.close();
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });

  it('when SIGKILL lands while writes are in flight, then every acknowledged write survives', async () => {
    const first = await startCli(dir);
    const client = await new MongoClient(first.uri, { maxPoolSize: 8, retryWrites: false }).connect();
    const coll = client.db('durable').collection('inflight');
    const acknowledged: number[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < 5000) {
        const id = next++;
        try {
          await coll.insertOne({ _id: id as never, at: id });
          acknowledged.push(id);
        } catch {
          return;
        }
        if (acknowledged.length >= 300 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await first.exited;
    await client.close(true);

    const second = await startCli(dir);
    const reader = await new MongoClient(second.uri).connect();
    const present = new Set(
      (await reader.db('durable').collection('inflight').find().toArray()).map(
        (d) => d._id as unknown as number,
      ),
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
    await reader.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('when the journal passes its size limit, then it is compacted into a snapshot and nothing is lost', async () => {
    let mongo = await ownLocalServer({ dataDir: dir, compactBytes: 4096 });
    let client = await new MongoClient(mongo.uri).connect();
    const coll = client.db('durable').collection('compacted');
    for (let i = 0; i < 100; i++) await coll.insertOne({ _id: i as never, text: 'y'.repeat(100) });
    for (let i = 0; i < 100; i += 2) await coll.updateOne({ _id: i as never }, { $set: { even: true } });
    for (let i = 0; i < 300 && !existsSync(path.join(dir, 'snapshot.bson')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(existsSync(path.join(dir, 'snapshot.bson'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('journal-')).length).toBeLessThanOrEqual(3);
    await client.close();
    await mongo.stop();

    mongo = await ownLocalServer({ dataDir: dir });
    client = await new MongoClient(mongo.uri).connect();
    const back = client.db('durable').collection('compacted');
    expect(await back.countDocuments()).toBe(100);
    expect(await back.countDocuments({ even: true })).toBe(50);
    await client.close();
    await mongo.stop();
  });

  it('when a second server opens a data directory in use, then it refuses to start', async () => {
    const mongo = await ownLocalServer({ dataDir: dir });
    try {
      await expect(ownLocalServer({ dataDir: dir })).rejects.toThrow(/in use/);
    } finally {
      await mongo.stop();
    }
  });
});

describe('the command line', () => {
  it('when an argument is bad, then it exits non-zero with a message and prints no listening line', async () => {
    for (const args of [['--port', 'abc'], ['--bogus'], ['--port', '70000']]) {
      const run = runCli(args);
      expect(await run.exited).toBe(2);
      expect(run.stdoutLines).toEqual([]);
      expect(run.stderr()).toMatch(/local mongo: .*(port|unknown argument)/);
    }
  });
});
