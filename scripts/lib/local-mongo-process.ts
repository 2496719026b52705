import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface MongoProcess {
  uri: string;
  child: ChildProcess;
  /** SIGTERM (a clean stop: flush, snapshot, lock released); resolves once it is gone. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown, no snapshot, the journal as the crash left it. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** The last of what it wrote to stderr (recovery reports land here). */
  stderr(): string;
}

const CLI = path.resolve(__dirname, '../../mock/src/mongo/cli.ts');

/**
 * Starts the local MongoDB-compatible server as its own process (a real server over TCP, as in
 * production) and resolves once it prints its `listening` line. It stops when this process goes, however
 * this process ends (the IPC channel closing tells it). With `ownProcessGroup`, a Ctrl-C in the terminal
 * does not reach it: the caller decides when the database stops (npm start: last, after the BFF drained).
 */
export function spawnLocalMongo(
  args: string[] = ['--port', '0'],
  timeoutMs = 20000,
  { ownProcessGroup = false }: { ownProcessGroup?: boolean } = {},
): Promise<MongoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
    detached: ownProcessGroup,
  });
  // The channel is only a lifeline: it must not keep this process alive.
  child.channel?.unref();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    if (!gone()) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local mongo did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`local mongo exited with ${code}: ${stderr}`));
    };
    child.once('exit', early);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let event: { event?: string; uri?: string };
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.event !== 'listening' || !event.uri) return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        uri: event.uri,
        child,
        stop: () => end('SIGTERM'),
        kill9: () => end('SIGKILL'),
        stderr: () => stderr,
      });
    });
  });
}
