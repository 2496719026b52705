import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Mocks } from '@eid/mock';
import { client } from './http';
import { DEV_STAFF } from './stack';

const SERVER = path.resolve(__dirname, '../../bff/src/server.ts');

/** A BFF running as its own OS process (bff/src/server.ts), with its own database connection. */
export interface BffProcess {
  /** `http://127.0.0.1:PORT` it listens on. */
  url: string;
  api: ReturnType<typeof client>;
  child: ChildProcess;
  /** Every line it wrote to stdout (pino JSON) so far. */
  logs: string[];
  /** SIGTERM, then resolves with its exit code once it has drained and exited. */
  stop(): Promise<number | null>;
}

/**
 * The variables a test BFF needs, as startStack sets them in-process: the run's database server (one
 * database name, which several processes may share), the stand-in systems, the development staff account.
 */
export function bffEnv(options: {
  mocks: Pick<Mocks, 'superapp' | 'registry' | 'face'>;
  dbName: string;
  env?: Record<string, string>;
}): Record<string, string> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the suites through jest');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MONGODB_URI: uri,
    MONGODB_DB: options.dbName,
    SUPERAPP_URL: options.mocks.superapp.url,
    REGISTRY_URL: options.mocks.registry.url,
    FACE_URL: options.mocks.face.url,
    UPSTREAM_TIMEOUT_MS: '800',
    STAFF_DEV_ACCOUNT: `${DEV_STAFF.username}:${DEV_STAFF.password}:officer:济南市公安局历下分局 窗口 3`,
    ...options.env,
  };
}

/**
 * Starts bff/src/server.ts as a child process on a free port (PORT=0) with exactly `env` (plus PATH and
 * HOME), and resolves once its `bff listening` log line names the port. A process that exits or stays
 * silent first rejects with its stderr.
 */
export function spawnBff(env: Record<string, string>, timeoutMs = 30_000): Promise<BffProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_OPTIONS: '',
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
  });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the BFF process did not listen within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the BFF process exited with ${code} before listening: ${stderr}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      let entry: { msg?: string; url?: string };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg !== 'bff listening' || !entry.url) return;
      clearTimeout(timer);
      resolve({ url: entry.url, api: client(entry.url), child, logs, stop });
    });
  });
}
