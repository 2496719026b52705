import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { OidcDeps } from './deps';

/** One stored artefact of the provider (session, interaction, code, token, grant, replay entry ...). */
interface StoredArtefact {
  _id: string;
  payload: AdapterPayload;
  /** Absent only for an artefact stored without a lifetime (the provider gives every one of ours one). */
  expiresAt?: Date;
  /** Copied out of the payload so that revokeByGrantId and findByUid are index look-ups. */
  grantId?: string;
  uid?: string;
  userCode?: string;
}

/** The models whose artefacts belong to a grant: revoking the grant deletes them (revokeByGrantId). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'ClientCredentials',
  'PreAuthorizedCode',
]);

/** `AuthorizationCode` -> `oidc_authorization_code`. */
export function collectionOf(model: string): string {
  return `oidc_${model.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_').toLowerCase()}`;
}

/** Where the provider's clients come from: the party directory, read on every look-up (never stored here). */
export type ClientSource = (clientId: string) => Promise<AdapterPayload | undefined>;

/**
 * The node-oidc-provider adapter over this BFF's database: one collection per model (`oidc_<model>`), a TTL
 * index on `expiresAt` so the database sweeps lapsed artefacts, and `find` judging expiry by the injected
 * clock as well, because the sweep runs late and on the database's clock (a test that moves its clock past an
 * authorization code's lifetime must see it gone). Clients are not stored: the `Client` model reads the party
 * directory, so a retired key, a suspension or a withdrawn sign-in registration counts at the next request.
 *
 * @example new Provider(issuer, { adapter: createMongoAdapter(deps, clientMetadataOf) })
 */
export function createMongoAdapter(
  deps: Pick<OidcDeps, 'db' | 'clock'>,
  clients: ClientSource,
): new (model: string) => Adapter {
  const { db, clock } = deps;
  // One index build per collection per process, shared by every Provider (one per issuer) built over it.
  const ready = new Map<string, Promise<unknown>>();

  return class MongoAdapter implements Adapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    #collection() {
      const name = collectionOf(this.#model);
      const collection = db.collection<StoredArtefact>(name);
      if (!ready.has(name)) {
        const indexes: Promise<unknown>[] = [
          collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }),
        ];
        if (GRANTABLE.has(this.#model))
          indexes.push(collection.createIndex({ grantId: 1 }, { sparse: true }));
        if (this.#model === 'Session') indexes.push(collection.createIndex({ uid: 1 }, { sparse: true }));
        if (this.#model === 'DeviceCode')
          indexes.push(collection.createIndex({ userCode: 1 }, { sparse: true }));
        const building = Promise.all(indexes);
        // A failed build is tried again by the next request instead of being remembered.
        building.catch(() => ready.delete(name));
        ready.set(name, building);
      }
      return { collection, ready: ready.get(name)! };
    }

    /** The payload unless the artefact has lapsed by the injected clock. */
    #live(doc: StoredArtefact | null): AdapterPayload | undefined {
      if (!doc) return undefined;
      if (doc.expiresAt && doc.expiresAt.getTime() <= clock.now()) return undefined;
      return doc.payload;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.#model === 'Client')
        throw new Error('clients are registered as parties, not through the provider');
      const { collection, ready: built } = this.#collection();
      await built;
      const doc: StoredArtefact = { _id: id, payload };
      if (typeof expiresIn === 'number') doc.expiresAt = new Date(clock.now() + expiresIn * 1000);
      if (typeof payload.grantId === 'string') doc.grantId = payload.grantId;
      if (typeof payload.uid === 'string') doc.uid = payload.uid;
      if (typeof payload.userCode === 'string') doc.userCode = payload.userCode;
      await collection.replaceOne({ _id: id }, doc, { upsert: true });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#model === 'Client') return clients(id);
      const { collection } = this.#collection();
      return this.#live(await collection.findOne({ _id: id }));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const { collection } = this.#collection();
      return this.#live(await collection.findOne({ uid }));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const { collection } = this.#collection();
      return this.#live(await collection.findOne({ userCode }));
    }

    /**
     * Marks a single-use artefact (an authorization code, a pushed request) used, in one conditional write: the
     * provider reads `consumed` and then consumes, which two racing exchanges of one code would both pass, so
     * the one that finds it already marked here is refused (invalid_grant, or invalid_request_uri for PAR).
     */
    async consume(id: string): Promise<void> {
      const { collection } = this.#collection();
      const res = await collection.updateOne(
        { _id: id, 'payload.consumed': { $exists: false } },
        { $set: { 'payload.consumed': Math.floor(clock.now() / 1000) } },
      );
      if (res.matchedCount === 1) return;
      if (this.#model === 'PushedAuthorizationRequest')
        throw new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used');
      throw new errors.InvalidGrant(`${this.#model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      const { collection } = this.#collection();
      await collection.deleteOne({ _id: id });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const { collection } = this.#collection();
      await collection.deleteMany({ grantId });
    }
  };
}
