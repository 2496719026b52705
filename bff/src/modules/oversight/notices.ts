import type { Notice } from '@eid/shared';
import type { OversightDeps } from './deps';
import type { NoticeDoc } from './oversight.repository';

const MAX_NOTICES = 100;

const DEFERRED_SHOWN = {
  title: { zh: '一次暂缓告知的查询现已显示', en: 'A deferred access to your data is now shown' },
  body: {
    zh: '工作人员曾依法查询您的信息，并经主管批准暂缓告知。暂缓期已满，该记录现已显示在您的使用记录中。',
    en: 'Staff looked up your data and a supervisor lawfully deferred telling you. The period has ended: the record is now in your usage records.',
  },
};

const QUESTION_ANSWERED = {
  title: { zh: '您的质询已答复', en: 'Your question has been answered' },
  body: {
    zh: '审计员已答复您对一次数据访问提出的质询，请在“我的质询”中查看。',
    en: 'An auditor has answered your question about an access to your data; see it under your questions.',
  },
};

/**
 * Turns every deferral of the resident's whose period has ended into a notice, once each. Read when the
 * resident asks (the clock, not a timer, decides what is due), so it holds with any number of processes.
 */
async function settleDeferrals(deps: OversightDeps, residentId: string): Promise<void> {
  const due = await deps.repo.dueDeferrals(residentId, deps.clock.now());
  for (const lookup of due) {
    await deps.repo.addNotice({
      _id: `deferral:${lookup._id}`,
      residentId,
      kind: 'deferred_access_shown',
      at: lookup.deferral!.until,
      accessAt: lookup.at,
      ...DEFERRED_SHOWN,
    });
    await deps.repo.markNoticed(lookup._id);
  }
}

/** The resident's notices, newest first. */
export async function noticesOf(deps: OversightDeps, residentId: string): Promise<Notice[]> {
  await settleDeferrals(deps, residentId);
  return (await deps.repo.noticesOf(residentId, MAX_NOTICES)).map(toNotice);
}

/** Tells the resident their question has an answer. */
export async function noticeAnswered(
  deps: OversightDeps,
  residentId: string,
  questionId: string,
  at: number,
): Promise<void> {
  await deps.repo.addNotice({
    _id: `answer:${questionId}`,
    residentId,
    kind: 'question_answered',
    at,
    questionId,
    ...QUESTION_ANSWERED,
  });
}

function toNotice(doc: NoticeDoc): Notice {
  return {
    id: doc._id,
    kind: doc.kind,
    at: doc.at,
    title: doc.title,
    body: doc.body,
    ...(doc.accessAt !== undefined && { accessAt: doc.accessAt }),
    ...(doc.questionId !== undefined && { questionId: doc.questionId }),
  };
}
