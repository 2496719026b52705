import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface MongoProcess {
  uri: string;
  child: ChildProcess;
  stop(): Promise<void>;
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
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local mongo did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local mongo exited with ${code}: ${stderr}`));
    });
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
      child.removeAllListeners('exit');
      resolve({
        uri: event.uri,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
