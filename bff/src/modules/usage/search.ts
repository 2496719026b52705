import type { Connection } from 'mongoose';
import type { KeyStore } from '../../infra/keystore';
import { usageModels, type UsageEventDoc } from './usage.model';
import { createUsageRepository } from './usage.repository';
import { verifyChain } from './usage-chain';
import type { AuditEventView, UsageAuditFilter, UsageAuditReader, UsageChainHead } from './usage.types';

/**
 * The auditor's reads of the usage traces, across residents (docs/admin.md "Audit"): events' metadata
 * (field names, never values: the trace holds no values), one chain's verification, and every chain's
 * head for the signed checkpoints. Newest first by (at, _id), which the indexes of usage.model.ts serve.
 */
export function createUsageAuditReader({ db, keys }: { db: Connection; keys: KeyStore }): UsageAuditReader {
  const { events, heads } = usageModels(db);
  const repo = createUsageRepository(db);

  function filterOf(f: UsageAuditFilter): Record<string, unknown> {
    const filter: Record<string, unknown> = {};
    if (f.residentIds !== undefined) filter.residentId = { $in: f.residentIds };
    if (f.actor !== undefined) {
      filter['actor.type'] = f.actor.type;
      filter['actor.id'] = f.actor.id;
    }
    if (f.purpose !== undefined) filter.purpose = f.purpose;
    if (f.from !== undefined || f.to !== undefined) {
      filter.at = {
        ...(f.from !== undefined && { $gte: f.from }),
        ...(f.to !== undefined && { $lte: f.to }),
      };
    }
    if (f.before !== undefined) {
      const { at, id } = f.before;
      // Ties on `at` are broken by _id, so a page boundary inside one millisecond loses nothing.
      filter.$and = [{ $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }] }];
    }
    return filter;
  }

  return {
    async search(f) {
      const docs = await events
        .find(filterOf(f), { once: 0, prevHash: 0 })
        .sort({ at: -1, _id: -1 })
        .limit(f.limit)
        .lean<UsageEventDoc[]>();
      return docs.map(auditView);
    },

    async *stream(f) {
      const cursor = events
        .find(filterOf(f), { once: 0, prevHash: 0 })
        .sort({ at: -1, _id: -1 })
        .limit(f.limit)
        .lean<UsageEventDoc[]>()
        .cursor({ batchSize: 1000 });
      for await (const doc of cursor) yield auditView(doc as UsageEventDoc);
    },

    async verify(residentId) {
      const headSeq = await repo.headSeq(residentId);
      let last: string | null = null;
      async function* links(): AsyncIterable<UsageEventDoc> {
        for await (const link of repo.chain(residentId)) {
          yield link;
          last = link.hash;
        }
      }
      const { broken, length } = await verifyChain(keys, residentId, links(), headSeq);
      // The walk stops on a broken link before `last` moves past it: `last` is the last intact link's hash.
      const head: string | null = last;
      return {
        exists: length > 0 || headSeq !== undefined || broken !== null,
        length,
        head,
        ...(headSeq !== undefined && { headSeq }),
        broken: broken && { seq: broken.seq, problem: broken.problem, detail: broken.detail },
      };
    },

    async linkAt(residentId, seq) {
      const doc = await events
        .findOne({ residentId, seq }, { hash: 1 })
        .setOptions({ sanitizeFilter: true })
        .lean<{ hash: string }>();
      return doc ? { hash: doc.hash } : null;
    },

    async heads(): Promise<UsageChainHead[]> {
      const docs = await heads.find({}, { seq: 1, hash: 1 }).sort({ _id: 1 }).lean();
      return docs.map((d) => ({ residentId: d._id, seq: d.seq, hash: d.hash }));
    },
  };
}

function auditView(doc: UsageEventDoc): AuditEventView {
  return {
    id: doc._id,
    residentRef: doc.residentId,
    seq: doc.seq,
    at: doc.at,
    actor: {
      type: doc.actor.type,
      id: doc.actor.id,
      displayName: doc.actor.displayName,
      ...(doc.actor.org !== undefined && { org: doc.actor.org }),
    },
    action: doc.action,
    fields: doc.fields ?? [],
    purpose: doc.purpose,
    result: doc.result,
    ...(doc.detail !== undefined && { detail: doc.detail }),
    ...(doc.requestId !== undefined && { requestId: doc.requestId }),
    hash: doc.hash,
  };
}
