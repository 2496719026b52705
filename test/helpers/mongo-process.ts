import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const CLI = path.resolve(__dirname, '../../mock/src/mongo/cli.ts');

/** The local database server (mock/src/mongo/cli.ts) as its own OS process, on a fixed port. */
export interface MongoProcess {
  /** `mongodb://127.0.0.1:PORT`. */
  uri: string;
  child: ChildProcess;
  /** What it wrote to stderr so far (recovery reports land here). */
  stderr(): string;
  /** SIGKILL: no shutdown, no snapshot, the journal as the crash left it. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the server on `port` with `dataDir` and resolves once it prints its `listening` line. The same
 * port and directory after a kill is a restart: clients holding the URI find it again.
 */
export function startMongoProcess(port: number, dataDir: string, timeoutMs = 20_000): Promise<MongoProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: '' },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the database process did not listen within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the database process exited with ${code} before listening: ${stderr}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: { event?: string; uri?: string };
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.event !== 'listening' || !event.uri) return;
      clearTimeout(timer);
      resolve({
        uri: event.uri,
        child,
        stderr: () => stderr,
        async kill9() {
          if (!gone()) child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (!gone()) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
