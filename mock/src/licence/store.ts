import { createHash, randomBytes } from 'node:crypto';
import {
  CardStatusValue,
  documentTypes,
  emptyStatusBits,
  licenceHolderKey,
  setStatusAt,
  type DocValue,
} from '@eid/shared';
import type { MockClock } from '../lib/server';
import { buildCredential, identifierOf, type BuiltCredential, type DocumentVersion } from './credential';
import { addDays, beijingDate, toMs } from './dates';
import { issuingBodies, type IssuingBody } from './issuers';
import { STATUS_BLOCK, licenceSeed, statusIndexOf, type DocumentStatus, type SeedDocument } from './seed';

/*
 * The licence system's state in one stand-in instance: the seeded documents, what tests changed since
 * (renewals, revocations, suspensions), the change feed, and the status bits of every issuing body. Seeded
 * credentials are signed once per process and shared; everything a test changes stays in its instance.
 */

export type ChangeKind = 'renewed' | 'revoked' | 'suspended' | 'resumed';

export interface LicenceDocument {
  id: string;
  holderIdNumber: string;
  /** licenceHolderKey of the holder. */
  holderKey: string;
  type: string;
  issuer: IssuingBody;
  /** The current version. */
  current: DocumentVersion;
  identifier: string;
  status: DocumentStatus;
  /** Epoch ms of the last change (the signing time when nothing changed). */
  updatedAt: number;
  /** Identifiers of earlier versions, oldest first. */
  previous: string[];
}

export interface ChangeEntry {
  cursor: string;
  /** The document's stable id. */
  id: string;
  type: string;
  /** The identifier after the change (for a renewal, the new version's). */
  identifier: string;
  /** For a renewal: the version it replaces. */
  previousIdentifier?: string;
  /** The grant-free holder key (licenceHolderKey), never the ID number. */
  holder: string;
  change: ChangeKind;
  /** Epoch ms. */
  at: number;
}

/** Why a test control refused: unknown identifier, an old version, or a change the state does not allow. */
export class ControlRefusal extends Error {
  constructor(
    readonly status: 404 | 409,
    readonly code: 'document_not_found' | 'not_current_version' | 'document_revoked' | 'document_suspended',
    message: string,
  ) {
    super(message);
    this.name = 'ControlRefusal';
  }
}

export interface ControlResult {
  id: string;
  type: string;
  identifier: string;
  previousIdentifier?: string;
  version: number;
  status: DocumentStatus;
  /** False when the document was already in the asked-for state (no change entry written). */
  changed: boolean;
  /** Cursor of the change entry, when one was written. */
  cursor?: string;
}

interface StatusBits {
  bits: Uint8Array;
  size: number;
  /** Next free slot (renewals take new positions). */
  nextSlot: number;
  /** Epoch ms of the last change; 0 while the list is as seeded. */
  lastChange: number;
  /** Bumped on every change, so cached signed lists know they are stale. */
  generation: number;
}

const STATUS_VALUE: Readonly<Record<DocumentStatus, number>> = {
  valid: CardStatusValue.valid,
  revoked: CardStatusValue.revoked,
  suspended: CardStatusValue.suspended,
};

const builtSeed = new Map<string, BuiltCredential>();
const nodeSha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/** The passport, travel permits and temporary permit get a new number with a new booklet; others keep theirs. */
function renewedNumber(type: string, id: string, version: number, old: string): string {
  const h = createHash('sha256').update(`renewed number ${id} ${version}`).digest();
  const digits = (n: number) => Array.from({ length: n }, (_, i) => String(h[i]! % 10)).join('');
  const letter = 'ABCDEFGHJKLMNPQRSTUVWXYZ'[h[20]! % 24]!;
  switch (type) {
    case 'passport':
      return `E${letter}${digits(7)}`;
    case 'travel_permit_hk_macao':
      return `C${letter}${digits(7)}`;
    case 'travel_permit_taiwan':
      return `L${digits(8)}`;
    default:
      return old;
  }
}

/** The values of a renewal issued today: same term length from today, issue date today. */
function renewedValues(doc: LicenceDocument, today: string, version: number): Record<string, DocValue> {
  const old = doc.current.values;
  const values: Record<string, DocValue> = { ...old, issueDate: today, validFrom: today };
  if (typeof old.validUntil === 'string') {
    const termDays = Math.round((toMs(old.validUntil) - toMs(old.validFrom as string)) / 86_400_000);
    values.validUntil = addDays(today, termDays);
  }
  values.documentNumber = renewedNumber(doc.type, doc.id, version, old.documentNumber as string);
  // What only the first issue prints, or what belongs to the old booklet, does not carry over.
  for (const key of [
    'hkEndorsement',
    'hkEndorsementValidUntil',
    'macaoEndorsement',
    'macaoEndorsementValidUntil',
    'taiwanEndorsement',
    'taiwanEndorsementValidUntil',
    'lastEndorsedOn',
  ]) {
    delete values[key];
  }
  return values;
}

export interface LicenceStore {
  /** The holder's current documents of these types, in wallet order. */
  documentsOf(holderKey: string, types: readonly string[]): LicenceDocument[];
  /** Every document of a holder by ID number (test helper). */
  documentsOfIdNumber(idNumber: string): LicenceDocument[];
  /** Credential and secrets of a document's current version. */
  built(doc: LicenceDocument): BuiltCredential;
  control(change: ChangeKind, identifier: string): ControlResult;
  /** Entries after `since` (undefined = from the start), at most `limit`; null when the cursor is not ours. */
  changesSince(
    since: string | undefined,
    limit: number,
  ): { changes: ChangeEntry[]; next: string; hasMore: boolean } | null;
  statusBits(kid: string): Readonly<StatusBits> | undefined;
  /** Back to the seed: every change forgotten, a new cursor epoch (old cursors are refused). */
  reset(): void;
}

/** A fresh state over the shared seed. */
export function createLicenceStore(clock: MockClock): LicenceStore {
  const seed = licenceSeed();
  const holderKeys = new Map<string, string>();
  const keyOf = (idNumber: string): string => {
    const known = holderKeys.get(idNumber);
    if (known) return known;
    const key = licenceHolderKey(idNumber, nodeSha256);
    holderKeys.set(idNumber, key);
    return key;
  };
  // Wallet order: the registry's.
  const typeOrder = new Map(documentTypes().map((t, i) => [t.name, i]));

  let documents: LicenceDocument[] = [];
  let byHolder = new Map<string, LicenceDocument[]>();
  let byIdentifier = new Map<string, LicenceDocument>();
  let statuses = new Map<string, StatusBits>();
  let built = new Map<string, BuiltCredential>();
  let feed: ChangeEntry[] = [];
  let epoch = '';

  const fromSeed = (s: SeedDocument): LicenceDocument => {
    const current: DocumentVersion = {
      type: s.type,
      issuer: s.issuer,
      serial: s.serial,
      version: s.version,
      statusIndex: s.statusIndex,
      issuedAt: s.issuedAt,
      values: s.values,
      portraitRef: s.portraitRef,
    };
    return {
      id: s.id,
      holderIdNumber: s.holderIdNumber,
      holderKey: keyOf(s.holderIdNumber),
      type: s.type,
      issuer: s.issuer,
      current,
      identifier: identifierOf(current),
      status: s.status,
      updatedAt: s.issuedAt,
      previous: [],
    };
  };

  function setStatus(kid: string, index: number, status: DocumentStatus, at: number): void {
    const list = statuses.get(kid)!;
    setStatusAt(list.bits, index, STATUS_VALUE[status]);
    list.lastChange = at;
    list.generation += 1;
  }

  function reset(): void {
    documents = seed.documents.map(fromSeed);
    byHolder = new Map();
    byIdentifier = new Map();
    for (const d of documents) {
      const list = byHolder.get(d.holderKey) ?? [];
      list.push(d);
      byHolder.set(d.holderKey, list);
      byIdentifier.set(d.identifier, d);
    }
    statuses = new Map();
    for (const body of issuingBodies()) {
      const used = seed.slotsUsed.get(body.kid) ?? 0;
      const size = Math.max(1, Math.ceil(used / STATUS_BLOCK)) * STATUS_BLOCK;
      statuses.set(body.kid, {
        bits: emptyStatusBits(size),
        size,
        nextSlot: used,
        lastChange: 0,
        generation: 0,
      });
    }
    for (const d of documents) {
      if (d.status !== 'valid')
        setStatusAt(statuses.get(d.issuer.kid)!.bits, d.current.statusIndex, STATUS_VALUE[d.status]);
    }
    built = new Map();
    feed = [];
    epoch = randomBytes(3).toString('hex');
  }

  function allocate(kid: string): number {
    const list = statuses.get(kid)!;
    const index = statusIndexOf(list.nextSlot);
    list.nextSlot += 1;
    if (index >= list.size) {
      const size = list.size + STATUS_BLOCK;
      const bits = emptyStatusBits(size);
      bits.set(list.bits);
      list.bits = bits;
      list.size = size;
    }
    return index;
  }

  function record(doc: LicenceDocument, change: ChangeKind, at: number, previousIdentifier?: string): string {
    const cursor = `${epoch}-${feed.length + 1}`;
    feed.push({
      cursor,
      id: doc.id,
      type: doc.type,
      identifier: doc.identifier,
      ...(previousIdentifier ? { previousIdentifier } : {}),
      holder: doc.holderKey,
      change,
      at,
    });
    return cursor;
  }

  function renew(doc: LicenceDocument, now: number): { previousIdentifier: string } {
    if (doc.status === 'revoked')
      throw new ControlRefusal(409, 'document_revoked', 'a revoked document is not renewed');
    if (doc.status === 'suspended')
      throw new ControlRefusal(409, 'document_suspended', 'a suspended document is not renewed');
    const previousIdentifier = doc.identifier;
    const old = doc.current;
    const version = old.version + 1;
    // The old version is superseded: its position says revoked, so a copy of it no longer passes as current.
    setStatus(doc.issuer.kid, old.statusIndex, 'revoked', now);
    const current: DocumentVersion = {
      ...old,
      version,
      statusIndex: allocate(doc.issuer.kid),
      issuedAt: now,
      values: renewedValues(doc, beijingDate(now), version),
    };
    doc.current = current;
    doc.previous.push(previousIdentifier);
    doc.identifier = identifierOf(current);
    byIdentifier.set(doc.identifier, doc);
    return { previousIdentifier };
  }

  function documentsOf(holderKey: string, types: readonly string[]): LicenceDocument[] {
    return (byHolder.get(holderKey) ?? [])
      .filter((d) => types.includes(d.type))
      .sort((a, b) => typeOrder.get(a.type)! - typeOrder.get(b.type)! || (a.id < b.id ? -1 : 1));
  }

  reset();

  return {
    documentsOf,
    documentsOfIdNumber(idNumber) {
      return documentsOf(keyOf(idNumber.toUpperCase()), [...typeOrder.keys()]);
    },
    built(doc) {
      const cache = doc.current.version === 1 && doc.previous.length === 0 ? builtSeed : built;
      let b = cache.get(doc.identifier);
      if (!b) cache.set(doc.identifier, (b = buildCredential(doc.current)));
      return b;
    },
    control(change, identifier) {
      const doc = byIdentifier.get(identifier);
      if (!doc) throw new ControlRefusal(404, 'document_not_found', 'no document with this identifier');
      if (doc.identifier !== identifier)
        throw new ControlRefusal(409, 'not_current_version', 'this identifier names an earlier version');
      const now = clock.now();
      const target: Record<ChangeKind, DocumentStatus> = {
        renewed: 'valid',
        revoked: 'revoked',
        suspended: 'suspended',
        resumed: 'valid',
      };
      let previousIdentifier: string | undefined;
      if (change === 'renewed') {
        previousIdentifier = renew(doc, now).previousIdentifier;
      } else {
        if (doc.status === target[change])
          return {
            id: doc.id,
            type: doc.type,
            identifier,
            version: doc.current.version,
            status: doc.status,
            changed: false,
          };
        if (change === 'suspended' && doc.status === 'revoked')
          throw new ControlRefusal(409, 'document_revoked', 'a revoked document cannot be suspended');
        if (change === 'resumed' && doc.status === 'revoked')
          throw new ControlRefusal(409, 'document_revoked', 'a revoked document cannot be resumed');
        doc.status = target[change];
        setStatus(doc.issuer.kid, doc.current.statusIndex, doc.status, now);
      }
      doc.updatedAt = now;
      const cursor = record(doc, change, now, previousIdentifier);
      return {
        id: doc.id,
        type: doc.type,
        identifier: doc.identifier,
        ...(previousIdentifier ? { previousIdentifier } : {}),
        version: doc.current.version,
        status: doc.status,
        changed: true,
        cursor,
      };
    },
    changesSince(since, limit) {
      let from = 0;
      if (since !== undefined) {
        const m = /^([0-9a-f]{6})-([0-9]{1,12})$/.exec(since);
        if (!m || m[1] !== epoch || Number(m[2]) > feed.length) return null;
        from = Number(m[2]);
      }
      const changes = feed.slice(from, from + limit);
      const next = changes.length > 0 ? changes[changes.length - 1]!.cursor : (since ?? `${epoch}-0`);
      return { changes, next, hasMore: from + changes.length < feed.length };
    },
    statusBits(kid) {
      return statuses.get(kid);
    },
    reset,
  };
}
