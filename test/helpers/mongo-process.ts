import { spawnLocalMongo, type MongoProcess } from '../../scripts/lib/local-mongo-process';

export type { MongoProcess };

/**
 * The local database server (mock/src/mongo/cli.ts) as its own OS process on `port` with `dataDir`, resolved
 * once it listens. The same port and directory after a kill is a restart: clients holding the URI find it again.
 */
export function startMongoProcess(port: number, dataDir: string, timeoutMs = 20_000): Promise<MongoProcess> {
  return spawnLocalMongo(['--port', String(port), '--data-dir', dataDir], timeoutMs);
}
