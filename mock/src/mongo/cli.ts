/**
 * Runs the local MongoDB-compatible server as a process:
 *
 *   npx tsx mock/src/mongo/cli.ts --port 27018 --data-dir .data/mongo
 *
 * Prints exactly one JSON line `{"event":"listening","uri":"..."}` on stdout once it accepts
 * connections, stops cleanly on SIGTERM / SIGINT, and exits with status 2 on bad arguments.
 */
import { startLocalMongo, type LocalMongoOptions } from './index';

const USAGE = `usage: cli.ts [--port <0-65535>] [--host <address>] [--data-dir <dir>] [--ttl-interval-ms <ms>]
  --port             TCP port, 0 picks a free one (default 27017)
  --host             interface to listen on (default 127.0.0.1)
  --data-dir         keep data durably in this directory (default: in memory)
  --ttl-interval-ms  how often expired TTL documents are deleted (default 60000)`;

/** Parses the command line; throws with a message naming the bad argument. */
function parseArgs(argv: string[]): LocalMongoOptions {
  const options: LocalMongoOptions = { port: 27017 };
  const integer = (flag: string, raw: string | undefined, min: number, max: number): number => {
    if (raw === undefined || !/^\d+$/.test(raw))
      throw new Error(`${flag} needs an integer, got ${raw ?? 'nothing'}`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`${flag} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = integer(flag, value(), 0, 65535);
        break;
      case '--host': {
        const host = value();
        if (!host || host.startsWith('--')) throw new Error('--host needs an address');
        options.host = host;
        break;
      }
      case '--data-dir': {
        const dir = value();
        if (!dir || dir.startsWith('--')) throw new Error('--data-dir needs a directory');
        options.dataDir = dir;
        break;
      }
      case '--ttl-interval-ms':
        options.ttlIntervalMs = integer(flag, value(), 1, 86_400_000);
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: LocalMongoOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`local mongo: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const mongo = await startLocalMongo(options);
  if (mongo.recovery && (mongo.recovery.replayedFrames > 0 || mongo.recovery.truncatedBytes > 0)) {
    console.error(
      `local mongo: recovered ${options.dataDir}: snapshot seq ${mongo.recovery.snapshotSeq}, ${mongo.recovery.replayedFrames} journal records replayed, ${mongo.recovery.truncatedBytes} torn bytes cut`,
    );
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    mongo.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`local mongo: stop after ${signal} failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Spawned with an IPC channel (scripts/lib/local-mongo-process.ts), this process lives in its own
  // process group under npm start; the channel closing means the parent is gone, even by SIGKILL.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => shutdown('the parent process exited'));
    if (!process.connected) shutdown('the parent process exited');
  }
  process.stdout.write(`${JSON.stringify({ event: 'listening', uri: mongo.uri })}\n`);
}

main().catch((err: Error) => {
  console.error(`local mongo: ${err.message}`);
  process.exit(1);
});
