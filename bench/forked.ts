/** The processes an HTTP bench runs beside itself: the database, and the server in a forked child. */
import { fork, type ChildProcess } from 'node:child_process';
import { spawnLocalMongo } from '../scripts/lib/local-mongo-process';

export interface BenchDatabase {
  uri: string;
  /** Undefined for an external database (BENCH_MONGODB_URI), whose CPU is not ours to read. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** BENCH_MONGODB_URI when set, else the local stand-in in its own process. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const external = process.env.BENCH_MONGODB_URI;
  if (external) return { uri: external, pid: undefined, stop: async () => undefined };
  const mongo = await spawnLocalMongo();
  return { ...mongo, pid: mongo.child.pid };
}

/** Forks `script` with `flag` (its serve mode) against the database; the child reports when it is ready. */
export function forkBenchServer(script: string, flag: string, mongoUri: string): ChildProcess {
  return fork(script, [flag], {
    execArgv: process.execArgv,
    env: { ...process.env, MONGODB_URI: mongoUri },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** The first message the forked server sends (what it serves), or its exit as an error. */
export function serverReady<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** Asks the forked server to stop and waits for it; after 5 s it is killed, so a bench always ends. */
export async function stopForkedServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send('stop');
  });
}
