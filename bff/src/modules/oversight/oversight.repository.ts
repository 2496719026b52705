import type { Connection } from 'mongoose';
import type { LegalBasis, Notice, Question, QuestionFinding } from '@eid/shared';
import { isDuplicateKey } from '../../infra/mongo-errors';

/** One staff lookup: who, when, why; no personal data (the resident is found again by id to reveal). */
export interface LookupDoc {
  _id: string;
  staffId: string;
  at: number;
  reason: string;
  legalBasis: LegalBasis;
  /** null when the ID number matched nobody: the attempt is kept for the audit all the same. */
  residentId: string | null;
  revealUntil: number;
  /** Epoch ms before which the resident's trace leaves this lookup's records out. */
  hiddenUntil?: number;
  deferral?: { by: string; at: number; until: number; reason: string; noticed: boolean };
  reveals: { field: string; at: number }[];
}

export interface QuestionDoc extends Omit<Question, 'id'> {
  _id: string;
  residentId: string;
  /** The auditor who answered: kept for the audit, not shown to the resident. */
  answeredBy?: string;
}

export interface NoticeDoc extends Omit<Notice, 'id'> {
  _id: string;
  residentId: string;
}

/** Storage of lookups, questions and notices; plain objects out. */
export function createOversightRepository(db: Connection) {
  const lookups = db.collection<LookupDoc>('oversight_lookups');
  const questions = db.collection<QuestionDoc>('oversight_questions');
  const notices = db.collection<NoticeDoc>('resident_notices');
  let ready: Promise<unknown> | undefined;
  // One open question per access: the unique partial index decides between concurrent requests.
  const indexes = () =>
    (ready ??= Promise.all([
      lookups.createIndex({ residentId: 1, 'deferral.noticed': 1 }),
      lookups.createIndex({ staffId: 1, at: -1 }),
      questions.createIndex(
        { 'access.eventId': 1 },
        { unique: true, partialFilterExpression: { status: 'open' } },
      ),
      questions.createIndex({ residentId: 1, at: -1 }),
      questions.createIndex({ status: 1, at: 1 }),
      notices.createIndex({ residentId: 1, at: -1 }),
    ]));

  return {
    async insertLookup(doc: LookupDoc): Promise<void> {
      await indexes();
      await lookups.insertOne(doc);
    },

    lookup: (id: string) => lookups.findOne({ _id: String(id) }),

    async addReveal(id: string, field: string, at: number): Promise<void> {
      await lookups.updateOne({ _id: id }, { $push: { reveals: { field, at } } });
    },

    /** Sets the deferral unless the lookup has one already; false when it had. */
    async setDeferral(id: string, deferral: NonNullable<LookupDoc['deferral']>): Promise<boolean> {
      const res = await lookups.updateOne(
        { _id: id, deferral: { $exists: false } },
        { $set: { deferral, hiddenUntil: deferral.until } },
      );
      return res.modifiedCount === 1;
    },

    /** The resident's deferred lookups whose period has ended and that have no notice yet. */
    dueDeferrals: (residentId: string, now: number) =>
      lookups.find({ residentId, 'deferral.noticed': false, 'deferral.until': { $lte: now } }).toArray(),

    async markNoticed(id: string): Promise<void> {
      await lookups.updateOne({ _id: id }, { $set: { 'deferral.noticed': true } });
    },

    /** Inserts a notice once per `_id` (a retry after a crash adds no second one). */
    async addNotice(doc: NoticeDoc): Promise<void> {
      await indexes();
      await notices.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    },

    noticesOf: (residentId: string, limit: number) =>
      notices.find({ residentId }).sort({ at: -1 }).limit(limit).toArray(),

    /** Inserts an open question; false when the access has an open one already. */
    async insertQuestion(doc: QuestionDoc): Promise<boolean> {
      await indexes();
      try {
        await questions.insertOne(doc);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    question: (id: string) => questions.findOne({ _id: String(id) }),

    questionsOf: (residentId: string, limit: number) =>
      questions.find({ residentId }).sort({ at: -1 }).limit(limit).toArray(),

    questionsByStatus: (status: Question['status'], limit: number) =>
      questions.find({ status }).sort({ at: 1 }).limit(limit).toArray(),

    /** open -> answered; the updated question, or null when it was not open. */
    answerQuestion: (
      id: string,
      answer: { at: number; text: string; finding: QuestionFinding },
      by: string,
    ) =>
      questions.findOneAndUpdate(
        { _id: String(id), status: 'open' },
        { $set: { status: 'answered', answer, answeredBy: by } },
        { returnDocument: 'after' },
      ),
  };
}

export type OversightRepository = ReturnType<typeof createOversightRepository>;
