import { randomUUID } from 'node:crypto';
import { AppError, type Question, type QuestionFinding } from '@eid/shared';
import type { OversightDeps } from './deps';
import { noticeAnswered } from './notices';
import type { QuestionDoc } from './oversight.repository';
import type { AuditQuestion, StaffCaller } from './oversight.types';

const MAX_LIST = 100;

/**
 * The resident questions a staff access from its usage record. The question keeps a copy of the record's
 * metadata (who, when, what, why, which case): what the auditor answers from, since the trace's records
 * name fields, never their values. Another resident's record, or one still deferred, is NOT_FOUND.
 */
export async function ask(
  deps: OversightDeps,
  residentId: string,
  eventId: string,
  text: string,
): Promise<Question> {
  const event = await deps.usageEvent(residentId, eventId);
  if (event.actor.type !== 'staff')
    throw new AppError('QUESTION_NOT_STAFF_ACCESS', 'Only an access by staff can be questioned here', {
      actorType: event.actor.type,
    });
  const doc: QuestionDoc = {
    _id: randomUUID(),
    residentId,
    at: deps.clock.now(),
    status: 'open',
    text,
    access: {
      eventId: event.id,
      at: event.at,
      actor: event.actor,
      action: event.action,
      fields: event.fields,
      purpose: event.purpose,
      ...(event.detail !== undefined && { detail: event.detail }),
    },
  };
  if (!(await deps.repo.insertQuestion(doc)))
    throw new AppError('QUESTION_ALREADY_OPEN', 'This access has an open question already');
  return toQuestion(doc);
}

export async function questionsOf(deps: OversightDeps, residentId: string): Promise<Question[]> {
  return (await deps.repo.questionsOf(residentId, MAX_LIST)).map(toQuestion);
}

export async function questionsFor(
  deps: OversightDeps,
  status: Question['status'],
  limit: number,
): Promise<AuditQuestion[]> {
  return (await deps.repo.questionsByStatus(status, Math.min(limit, MAX_LIST))).map(toAuditQuestion);
}

/** open -> answered, once; the resident sees the answer with their question and gets a notice. */
export async function answer(
  deps: OversightDeps,
  caller: StaffCaller,
  questionId: string,
  input: { text: string; finding: QuestionFinding },
): Promise<AuditQuestion> {
  const now = deps.clock.now();
  const updated = await deps.repo.answerQuestion(questionId, { at: now, ...input }, caller.id);
  if (!updated) {
    if (await deps.repo.question(questionId))
      throw new AppError('QUESTION_ALREADY_ANSWERED', 'This question has been answered already');
    throw new AppError('NOT_FOUND', 'No such question');
  }
  await noticeAnswered(deps, updated.residentId, updated._id, now);
  deps.logger.info({ questionId, by: caller.id, finding: input.finding }, 'question answered');
  return toAuditQuestion(updated);
}

function toQuestion(doc: QuestionDoc): Question {
  return {
    id: doc._id,
    at: doc.at,
    status: doc.status,
    text: doc.text,
    access: doc.access,
    ...(doc.answer !== undefined && { answer: doc.answer }),
  };
}

function toAuditQuestion(doc: QuestionDoc): AuditQuestion {
  return { ...toQuestion(doc), residentId: doc.residentId };
}
