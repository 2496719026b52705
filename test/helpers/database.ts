import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectDatabase } from '@eid/bff/infra/database';

/** Connections to one fresh database of the test server, as several BFF processes would hold them. */
export interface TestDatabase {
  name: string;
  /** A new connection (its own pool) to the same database. */
  connect(): Promise<Connection>;
  /** Drops the database and closes every connection opened through `connect`. */
  drop(): Promise<void>;
}

/** A database of its own for one suite, on the server the jest global setup started. */
export function testDatabase(): TestDatabase {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set: run the suites through jest (global setup starts the database)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const open: Connection[] = [];
  return {
    name,
    async connect() {
      const conn = await connectDatabase(uri, name);
      open.push(conn);
      return conn;
    },
    async drop() {
      if (open[0]) await open[0].dropDatabase();
      await Promise.all(open.map((c) => c.close()));
    },
  };
}
