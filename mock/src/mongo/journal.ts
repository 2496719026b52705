/**
 * Durability for a data directory: a write-ahead journal of committed changes, fsynced before the
 * command that made them is acknowledged, and snapshots that compact it.
 *
 * Files (see docs/mongo-local.md for the byte layout):
 * - `journal-<n>.log`: frames `[u32 length][u32 crc32][payload]`, payload = a BSON header
 *   `{ s: seq, n: count }` followed by `count` BSON operations (after-images, so replay is idempotent).
 *   One frame is one atomic change: a single write, or a whole transaction.
 * - `snapshot.bson`: the same framing; `{ t: 'meta', seq }`, then per collection `{ t: 'coll', ... }` and
 *   `{ t: 'docs', ns, n }` + documents, then `{ t: 'end' }`. Written to a temporary file and renamed.
 * - `mongod.lock`: the pid of the server using the directory.
 *
 * Recovery loads the snapshot, replays every journal frame whose seq is newer, and cuts a torn frame at
 * the end of the last journal file (a crash during a write that was therefore never acknowledged).
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  truncateSync,
  write,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';
import type { Engine, JournalOp, JournalSink } from './storage/engine';
import type { Doc } from './values';

const SNAPSHOT = 'snapshot.bson';
const LOCK = 'mongod.lock';
const SEGMENT = /^journal-(\d{12})\.log$/;
const FRAME_HEADER = 8;
// Documents per snapshot frame: keeps frames small enough to stream and to verify one by one.
const SNAPSHOT_DOCS_PER_FRAME = 1000;

const DESERIALIZE = { promoteBuffers: false, promoteLongs: true, promoteValues: true } as const;

// Directories opened by this process: the pid in the lock file cannot tell two servers of one process apart.
const openDirs = new Set<string>();

/** Options of a data directory. */
export interface JournalOptions {
  dir: string;
  /** Journal bytes after which the journal is compacted into a new snapshot (default 64 MiB). */
  compactBytes?: number;
}

/** What recovery found, for the startup log line. */
export interface RecoveryStats {
  snapshotSeq: number;
  replayedFrames: number;
  truncatedBytes: number;
}

function segmentName(n: number): string {
  return `journal-${String(n).padStart(12, '0')}.log`;
}

/** Encodes one frame around a payload. */
export function encodeFrame(payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.allocUnsafe(FRAME_HEADER);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

/** Reads the frames of a file; stops at the first torn or corrupt one and reports where. */
export function readFrames(buf: Buffer): { frames: Document[][]; validBytes: number } {
  const frames: Document[][] = [];
  let offset = 0;
  while (offset + FRAME_HEADER <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const sum = buf.readUInt32LE(offset + 4);
    const start = offset + FRAME_HEADER;
    if (start + length > buf.length) break;
    const body = buf.subarray(start, start + length);
    if (crc32(body) !== sum) break;
    const docs: Document[] = [];
    let at = 0;
    try {
      while (at < body.length) {
        const size = body.readInt32LE(at);
        docs.push(BSON.deserialize(body.subarray(at, at + size), DESERIALIZE));
        at += size;
      }
    } catch {
      break;
    }
    frames.push(docs);
    offset = start + length;
  }
  return { frames, validBytes: offset };
}

function serialize(doc: Document): Uint8Array {
  return BSON.serialize(doc, { ignoreUndefined: true });
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Capture {
  seq: number;
  collections: { ns: string; opts: Doc; indexes: Doc[]; docs: Doc[] }[];
}

function writeAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number) =>
      write(fd, buf, offset, buf.length - offset, null, (err, n) => {
        if (err) reject(err);
        else if (offset + n < buf.length) step(offset + n);
        else resolve();
      });
    step(0);
  });
}

const datasyncFd = promisify(fdatasync);

/** The journal of one data directory; the engine appends, commands await `durable()`. */
export class Journal implements JournalSink {
  private fd = -1;
  private segment = 0;
  private segmentBytes = 0;
  private pending: Buffer[] = [];
  private appended = 0;
  private synced = 0;
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private compacting: Promise<void> | null = null;
  failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly engine: Engine,
    private readonly compactBytes: number,
  ) {}

  /**
   * Takes the directory, recovers its state into `engine`, and makes the engine journal to it from now on.
   */
  static open(engine: Engine, options: JournalOptions): { journal: Journal; stats: RecoveryStats } {
    const dir = path.resolve(options.dir);
    mkdirSync(dir, { recursive: true });
    const lockPath = path.join(dir, LOCK);
    if (openDirs.has(dir)) throw new Error(`data directory ${dir} is in use by this process`);
    if (existsSync(lockPath)) {
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new Error(`data directory ${dir} is in use by process ${pid}`);
      }
    }
    writeFileSync(lockPath, `${process.pid}\n`);
    const journal = new Journal(dir, engine, options.compactBytes ?? 64 * 1024 * 1024);
    try {
      const stats = journal.recover();
      journal.openSegment(journal.segment + 1);
      engine.journal = journal;
      openDirs.add(dir);
      return { journal, stats };
    } catch (err) {
      rmSync(lockPath, { force: true });
      throw err;
    }
  }

  private openSegment(n: number): void {
    this.segment = n;
    this.fd = openSync(path.join(this.dir, segmentName(n)), 'a');
    this.segmentBytes = 0;
    fsyncDir(this.dir);
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .map((f) => SEGMENT.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  private recover(): RecoveryStats {
    const stats: RecoveryStats = { snapshotSeq: 0, replayedFrames: 0, truncatedBytes: 0 };
    const snapshotPath = path.join(this.dir, SNAPSHOT);
    if (existsSync(snapshotPath)) stats.snapshotSeq = this.loadSnapshot(readFileSync(snapshotPath));
    rmSync(path.join(this.dir, `${SNAPSHOT}.tmp`), { force: true });
    this.engine.seq = stats.snapshotSeq;
    const segments = this.segments();
    segments.forEach((n, i) => {
      const file = path.join(this.dir, segmentName(n));
      const buf = readFileSync(file);
      const { frames, validBytes } = readFrames(buf);
      if (validBytes < buf.length) {
        if (i !== segments.length - 1)
          throw new Error(`journal file ${file} is corrupt at byte ${validBytes}`);
        // A torn final frame was never acknowledged: cut it so later appends follow valid frames.
        truncateSync(file, validBytes);
        stats.truncatedBytes = buf.length - validBytes;
      }
      for (const [header, ...ops] of frames) {
        const seq = Number(header!.s);
        if (seq <= stats.snapshotSeq) continue;
        for (const op of ops) this.engine.replay(op as JournalOp);
        this.engine.seq = Math.max(this.engine.seq, seq);
        stats.replayedFrames += 1;
      }
    });
    this.segment = segments.at(-1) ?? 0;
    return stats;
  }

  private loadSnapshot(buf: Buffer): number {
    const { frames, validBytes } = readFrames(buf);
    const last = frames.at(-1)?.[0];
    if (validBytes !== buf.length || last?.t !== 'end' || frames[0]?.[0]?.t !== 'meta') {
      throw new Error(`snapshot ${path.join(this.dir, SNAPSHOT)} is incomplete or corrupt`);
    }
    for (const [header, ...docs] of frames) {
      if (header!.t === 'coll') {
        this.engine.replay({ o: 'createColl', ns: header!.ns as string, opts: (header!.opts as Doc) ?? {} });
        for (const spec of header!.indexes as Doc[]) {
          this.engine.replay({ o: 'createIndex', ns: header!.ns as string, spec });
        }
      } else if (header!.t === 'docs') {
        for (const d of docs) this.engine.replay({ o: 'put', ns: header!.ns as string, d });
      }
    }
    return Number(frames[0]![0]!.seq);
  }

  append(seq: number, ops: JournalOp[]): void {
    if (this.closed) throw new Error('journal is closed');
    this.pending.push(encodeFrame([serialize({ s: seq, n: ops.length }), ...ops.map(serialize)]));
    this.appended += 1;
  }

  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.synced >= this.appended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ target: this.appended, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  // One write and one fsync for everything appended while the previous fsync ran: group commit.
  private async flushLoop(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        const count = batch.length;
        this.pending = [];
        const buf = batch.length === 1 ? batch[0]! : Buffer.concat(batch);
        await writeAll(this.fd, buf);
        await datasyncFd(this.fd);
        this.segmentBytes += buf.length;
        this.synced += count;
        this.waiters = this.waiters.filter((w) => {
          if (w.target > this.synced) return true;
          w.resolve();
          return false;
        });
        if (this.segmentBytes >= this.compactBytes && !this.compacting) this.startCompaction();
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      for (const w of this.waiters) w.reject(this.failure);
      this.waiters = [];
    } finally {
      this.flushing = null;
    }
  }

  /**
   * Switches appends to a new journal file, captures the state, writes it as the snapshot and then
   * drops the journal files it covers. Runs between two flushes, so no write is in flight on the old
   * file; frames still pending were applied before the capture and are skipped on replay by seq.
   */
  private startCompaction(): void {
    const covered = this.segments();
    closeSync(this.fd);
    this.openSegment(this.segment + 1);
    const capture = this.capture();
    this.compacting = this.writeSnapshot(capture)
      .then(() => this.removeSegments(covered))
      .catch((err: Error) => {
        // The old journal files stay; recovery still has everything. Reported on the next durable().
        this.failure ??= err;
      })
      .finally(() => {
        this.compacting = null;
      });
  }

  private removeSegments(segments: number[]): void {
    for (const n of segments) rmSync(path.join(this.dir, segmentName(n)), { force: true });
    fsyncDir(this.dir);
  }

  private capture(): Capture {
    // Stored documents are never mutated, so holding references is a consistent capture.
    return {
      seq: this.engine.seq,
      collections: this.engine.databases().flatMap((db) =>
        this.engine.collections(db).map((c) => ({
          ns: c.ns,
          opts: c.options,
          indexes: [...c.indexes.values()].filter((i) => !i.isIdIndex).map((i) => i.spec),
          docs: [...c.docs.values()],
        })),
      ),
    };
  }

  private async writeSnapshot(capture: Capture): Promise<void> {
    const tmp = path.join(this.dir, `${SNAPSHOT}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.write(encodeFrame([serialize({ t: 'meta', v: 1, seq: capture.seq })]));
      for (const coll of capture.collections) {
        await fh.write(
          encodeFrame([serialize({ t: 'coll', ns: coll.ns, opts: coll.opts, indexes: coll.indexes })]),
        );
        for (let i = 0; i < coll.docs.length; i += SNAPSHOT_DOCS_PER_FRAME) {
          const chunk = coll.docs.slice(i, i + SNAPSHOT_DOCS_PER_FRAME);
          await fh.write(
            encodeFrame([serialize({ t: 'docs', ns: coll.ns, n: chunk.length }), ...chunk.map(serialize)]),
          );
        }
      }
      await fh.write(encodeFrame([serialize({ t: 'end' })]));
      await fh.sync();
    } finally {
      await fh.close();
    }
    renameSync(tmp, path.join(this.dir, SNAPSHOT));
    fsyncDir(this.dir);
  }

  /** Flushes, writes a final snapshot so the next start need not replay, and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.durable().catch(() => undefined);
    await this.flushing;
    await this.compacting;
    this.closed = true;
    try {
      closeSync(this.fd);
      const segments = this.segments();
      if (!this.failure && (this.segmentBytes > 0 || segments.length > 1)) {
        await this.writeSnapshot(this.capture());
        this.removeSegments(segments);
      }
    } finally {
      if (this.engine.journal === this) this.engine.journal = null;
      rmSync(path.join(this.dir, LOCK), { force: true });
      openDirs.delete(this.dir);
    }
  }
}
