/**
 * The entity map of one test (unified format §Entity Map): clients with their observed command events,
 * databases, collections, sessions, and values saved with saveResultAsEntity.
 */
import {
  MongoClient,
  ReadPreference,
  type ClientSession,
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
} from 'mongodb';
import { isDocument, type MatchEntities } from './matcher';
import { Unsupported } from './skip';

/** One observed command monitoring event, as the expectations name it. */
export interface ObservedEvent {
  type: 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';
  commandName: string;
  databaseName: string;
  command?: Document;
  reply?: Document;
}

export interface ClientEntity {
  kind: 'client';
  client: MongoClient;
  events: ObservedEvent[];
  /** Every command started, observed or not (for the lsid assertions). */
  started: CommandStartedEvent[];
}

export type Entity =
  | ClientEntity
  | { kind: 'database'; db: Db; client: string }
  | { kind: 'collection'; collection: Collection; client: string }
  | { kind: 'session'; session: ClientSession; lsid: Document; client: string }
  | { kind: 'cursor'; cursor: AsyncIterator<Document> & { close(): Promise<void> } }
  | { kind: 'value'; value: unknown };

// Command monitoring redacts these (Command Logging and Monitoring §Security); tests never expect them.
const SENSITIVE = new Set([
  'authenticate',
  'saslstart',
  'saslcontinue',
  'getnonce',
  'createuser',
  'updateuser',
  'copydbgetnonce',
  'copydbsaslstart',
  'copydb',
]);

function isIgnored(name: string, command: Document | undefined, ignored: Set<string>): boolean {
  const lower = name.toLowerCase();
  if (ignored.has(name) || name === 'configureFailPoint' || SENSITIVE.has(lower)) return true;
  if ((lower === 'hello' || lower === 'ismaster') && (!command || Object.keys(command).length === 0))
    return true;
  return false;
}

/**
 * A copy of a command or reply as it was when the event fired. The driver shares some sub-documents
 * between commands (a client's readConcern object goes into each transaction's first command and later
 * gets afterClusterTime assigned into it), so a kept reference would show what a later command sent.
 */
export function snapshot(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snapshot);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, snapshot(x)]));
  // Plain objects and driver option objects (a ReadConcern); BSON values and bytes are kept as they are.
  if (isDocument(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)]));
  return v;
}

/** A driver read preference from the format's `{ mode, tagSets, maxStalenessSeconds, hedge }`. */
export function readPreference(spec: Document | undefined): ReadPreference | undefined {
  if (!spec) return undefined;
  return new ReadPreference(spec.mode, spec.tagSets, {
    maxStalenessSeconds: spec.maxStalenessSeconds,
    hedge: spec.hedge,
  });
}

/** Driver options for the format's collectionOrDatabaseOptions and transaction options. */
export function concernOptions(spec: Document | undefined): Document {
  if (!spec) return {};
  const out: Document = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'readPreference') out.readPreference = readPreference(v as Document);
    else if (k === 'timeoutMS') throw new Unsupported('timeoutMS (client-side operation timeout)');
    else out[k] = v;
  }
  return out;
}

/** The map of one test; `close()` ends sessions, closes cursors and clients. */
export class EntityMap implements MatchEntities {
  private readonly map = new Map<string, Entity>();

  constructor(private readonly uri: string) {}

  get(id: string): Entity {
    const e = this.map.get(id);
    if (!e) throw new Error(`undefined entity ${id}`);
    return e;
  }

  getAs<K extends Entity['kind']>(id: string, kind: K): Extract<Entity, { kind: K }> {
    const e = this.get(id);
    if (e.kind !== kind) throw new Error(`entity ${id} is a ${e.kind}, not a ${kind}`);
    return e as Extract<Entity, { kind: K }>;
  }

  set(id: string, entity: Entity): void {
    if (this.map.has(id)) throw new Error(`duplicate entity ${id}`);
    this.map.set(id, entity);
  }

  value(id: string): unknown {
    const e = this.get(id);
    if (e.kind !== 'value') throw new Error(`entity ${id} is a ${e.kind}, not a BSON value`);
    return e.value;
  }

  lsid(id: string): unknown {
    return this.getAs(id, 'session').lsid;
  }

  /** Creates the entities of a createEntities list, in order. */
  async create(list: Document[]): Promise<void> {
    for (const item of list) {
      const [type, spec] = Object.entries(item)[0] as [string, Document];
      switch (type) {
        case 'client':
          this.set(spec.id, await this.createClient(spec));
          break;
        case 'database': {
          const c = this.getAs(spec.client, 'client');
          this.set(spec.id, {
            kind: 'database',
            db: c.client.db(spec.databaseName, concernOptions(spec.databaseOptions)),
            client: spec.client,
          });
          break;
        }
        case 'collection': {
          const d = this.getAs(spec.database, 'database');
          this.set(spec.id, {
            kind: 'collection',
            collection: d.db.collection(spec.collectionName, concernOptions(spec.collectionOptions)),
            client: d.client,
          });
          break;
        }
        case 'session': {
          const c = this.getAs(spec.client, 'client');
          const o: Document = { ...(spec.sessionOptions ?? {}) };
          if (o.defaultTransactionOptions)
            o.defaultTransactionOptions = concernOptions(o.defaultTransactionOptions);
          // A snapshot time is given by the name of the entity a getSnapshotTime result was saved as.
          if (typeof o.snapshotTime === 'string') o.snapshotTime = this.value(o.snapshotTime);
          const session = c.client.startSession(o);
          this.set(spec.id, { kind: 'session', session, lsid: session.id as Document, client: spec.client });
          break;
        }
        default:
          throw new Unsupported(`${type} entities`);
      }
    }
  }

  private async createClient(spec: Document): Promise<ClientEntity> {
    if (spec.storeEventsAsEntities || spec.observeLogMessages || spec.serverApi)
      throw new Unsupported('client with storeEventsAsEntities, observeLogMessages or serverApi');
    const url = new URL(this.uri);
    for (const [k, v] of Object.entries((spec.uriOptions ?? {}) as Document)) {
      if (k === 'timeoutMS') throw new Unsupported('timeoutMS (client-side operation timeout)');
      url.searchParams.set(k, typeof v === 'object' && v !== null ? String(v.valueOf()) : String(v));
    }
    // Tests with fail points recover faster with a short heartbeat (§Executing a Test allows it).
    if (!url.searchParams.has('heartbeatFrequencyMS')) url.searchParams.set('heartbeatFrequencyMS', '500');
    const client = new MongoClient(url.toString(), { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
    const observe = new Set<string>((spec.observeEvents as string[] | undefined) ?? []);
    const ignored = new Set<string>((spec.ignoreCommandMonitoringEvents as string[] | undefined) ?? []);
    const entity: ClientEntity = { kind: 'client', client, events: [], started: [] };
    const sensitiveOk = spec.observeSensitiveCommands === true;
    const keep = (name: string, command?: Document) =>
      !(sensitiveOk ? name === 'configureFailPoint' || ignored.has(name) : isIgnored(name, command, ignored));
    client.on('commandStarted', (ev: CommandStartedEvent) => {
      if (ev.commandName === 'configureFailPoint') return;
      entity.started.push(ev);
      if (observe.has('commandStartedEvent') && keep(ev.commandName, ev.command))
        entity.events.push({
          type: 'commandStartedEvent',
          commandName: ev.commandName,
          databaseName: ev.databaseName,
          command: snapshot(ev.command) as Document,
        });
    });
    client.on('commandSucceeded', (ev: CommandSucceededEvent) => {
      if (observe.has('commandSucceededEvent') && keep(ev.commandName, ev.reply as Document))
        entity.events.push({
          type: 'commandSucceededEvent',
          commandName: ev.commandName,
          databaseName: ev.databaseName,
          reply: snapshot(ev.reply) as Document,
        });
    });
    client.on('commandFailed', (ev: CommandFailedEvent) => {
      if (observe.has('commandFailedEvent') && keep(ev.commandName))
        entity.events.push({
          type: 'commandFailedEvent',
          commandName: ev.commandName,
          databaseName: ev.databaseName,
        });
    });
    for (const t of observe)
      if (!t.startsWith('command'))
        throw new Unsupported(`observing ${t} (only command events are collected)`);
    await client.connect();
    return entity;
  }

  /** Ends sessions, closes cursors, then closes clients (§Executing a Test, last steps). */
  async close(): Promise<void> {
    const all = [...this.map.values()];
    for (const e of all) {
      if (e.kind === 'session') await e.session.endSession().catch(() => undefined);
      if (e.kind === 'cursor') await e.cursor.close().catch(() => undefined);
    }
    for (const e of all) if (e.kind === 'client') await e.client.close(true).catch(() => undefined);
    this.map.clear();
  }
}
