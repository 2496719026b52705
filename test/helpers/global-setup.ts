import { spawnLocalMongo, type MongoProcess } from '../../scripts/lib/local-mongo-process';

declare global {
  var __EID_MONGO__: MongoProcess | undefined;
}

/**
 * One database server for the whole run: a real MongoDB when MONGODB_URI is given, otherwise the
 * local stand-in as its own process. Suites read process.env.MONGODB_URI and use their own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.EID_TEST_DB_KIND = 'external';
    return;
  }
  const mongo = await spawnLocalMongo();
  globalThis.__EID_MONGO__ = mongo;
  process.env.MONGODB_URI = mongo.uri;
  process.env.EID_TEST_DB_KIND = 'standin';
}
