import type { AccountClosure, ClosureKept } from '@eid/shared';
import { beijingDayOf } from '@eid/shared';
import { residentActor } from '../usage/usage.types';
import { counterKeys, ownCounter, type AttemptKind } from './attempts';
import type { EnrollmentDeps } from './deps';
import { eraseIdentity } from './hooks';

const DAY_MS = 24 * 3600 * 1000;
const KINDS: AttemptKind[] = ['real_name', 'face'];

/** What closing deletes at once (docs/data-inventory.md, "closure: deleted"). */
const DELETED: AccountClosure['deleted'] = [
  { zh: '账户与超级应用账号的关联', en: 'the account and its link to the super-app account' },
  {
    zh: '核验过的身份信息（姓名、身份证号、住址、照片引用）',
    en: 'the verified identity (name, ID number, address, portrait reference)',
  },
  { zh: '全部登录会话', en: 'every sign-in session' },
  { zh: '人脸核验记录', en: 'face-check records' },
  { zh: 'e-ID 口令', en: 'the e-ID passcode' },
  { zh: '电子证照夹中的证照', en: 'the documents in the licence wallet' },
  {
    zh: '向第三方提供的数据（授权撤回，第三方须删除）',
    en: 'the data handed to parties (consents withdrawn; parties must delete)',
  },
  { zh: '窗口调取的证照内容', en: 'the documents delivered to service windows' },
  { zh: '未作出决定的人工审核', en: 'reviews without a decision' },
];

/** What closing keeps, why and how long: the periods are the operator's (RETENTION_*), the reasons the law's. */
function keptList(deps: EnrollmentDeps): ClosureKept[] {
  const c = deps.config;
  const years = (days: number): { zh: string; en: string } => ({
    zh: `注销后 ${days} 天`,
    en: `${days} days after closing`,
  });
  return [
    {
      record: 'usage_trace',
      what: {
        zh: '使用记录（谁在何时因何用途使用了您的信息）',
        en: 'the usage record (who used your data, when and why)',
      },
      why: {
        zh: '用于答复您或监管部门对个人信息处理的查询与投诉（个人信息保护法第四十五、五十四条；民法典第一百八十八条诉讼时效）',
        en: 'to answer your or a regulator’s questions and complaints about how your data was used (PIPL art. 45, 54; Civil Code art. 188 limitation period)',
      },
      days: c.RETENTION_USAGE_DAYS,
      keptFor: years(c.RETENTION_USAGE_DAYS),
    },
    {
      record: 'consent_records',
      what: {
        zh: '授权记录（不含已提供的数据）及第三方的删除确认',
        en: 'consent records (not the data handed over) and parties’ deletion confirmations',
      },
      why: {
        zh: '证明您同意过什么、撤回后已要求第三方删除（个人信息保护法第十四、四十七、六十九条）',
        en: 'to prove what you agreed to and that the parties were asked to delete (PIPL art. 14, 47, 69)',
      },
      days: c.RETENTION_CONSENT_DAYS,
      keptFor: years(c.RETENTION_CONSENT_DAYS),
    },
    {
      record: 'document_call_receipts',
      what: { zh: '证照调取回执（不含证照内容）', en: 'document-call receipts (not the documents)' },
      why: {
        zh: '证明窗口经您同意收到了哪些证照',
        en: 'to prove which documents a window received with your approval',
      },
      days: c.RETENTION_DOCUMENT_CALL_DAYS,
      keptFor: years(c.RETENTION_DOCUMENT_CALL_DAYS),
    },
    {
      record: 'review_decisions',
      what: { zh: '已作出决定的人工审核记录', en: 'decided enrolment reviews' },
      why: {
        zh: '审核决定须可解释、可申诉（个人信息保护法第二十四条）',
        en: 'a decision on your identity must stay explainable and open to appeal (PIPL art. 24)',
      },
      days: c.RETENTION_REVIEW_DAYS,
      keptFor: {
        zh: `决定后 ${c.RETENTION_REVIEW_DAYS} 天`,
        en: `${c.RETENTION_REVIEW_DAYS} days after the decision`,
      },
    },
    {
      record: 'revoked_card',
      what: { zh: '已吊销的亮证记录', en: 'the revoked card’s record' },
      why: {
        zh: '让核验方在凭证到期前都能看到它已吊销',
        en: 'so that verifiers see it revoked for as long as its credential could be shown',
      },
      days: null,
      keptFor: {
        zh: `凭证到期后 ${c.RETENTION_CARD_DAYS} 天`,
        en: `${c.RETENTION_CARD_DAYS} days after its credential expires`,
      },
    },
    {
      record: 'attempt_counter',
      what: {
        zh: '当日对该身份证号的核验次数（仅存其密钥索引）',
        en: 'today’s count of checks on your ID number (only its keyed index)',
      },
      why: {
        zh: '防止通过注销账户重置每日核验上限',
        en: 'so that closing an account does not reset the daily limit',
      },
      days: 3,
      keptFor: { zh: '至多 3 天', en: 'at most 3 days' },
    },
    {
      record: 'audit',
      what: {
        zh: '审计日志与工作人员查询记录（仅含随机账户编号与哈希）',
        en: 'the audit log and staff lookups (a random account number and hashes only)',
      },
      why: {
        zh: '法定义务：个人信息处理活动须可审计（个人信息保护法第五十四条，数据安全法第二十七条，网络安全法第二十一条）',
        en: 'a legal duty: processing of personal data must be auditable (PIPL art. 54, DSL art. 27, Cybersecurity Law art. 21)',
      },
      days: null,
      keptFor: { zh: '长期保存', en: 'without end' },
    },
  ];
}

/**
 * Closes the account: card revoked, identity, sessions and everything else the law does not require keeping
 * erased; answers what is kept and why (docs/data-inventory.md). The usage trace stays under the old id
 * until the retention sweep deletes it.
 */
export async function closeAccount(
  deps: EnrollmentDeps,
  residentId: string,
  requestId?: string,
): Promise<AccountClosure> {
  const { repo, accounts } = deps;
  const closedAt = deps.clock.now();
  await deps.usage
    .disclosure({ residentId, actor: residentActor(residentId), purpose: 'account', requestId })
    .record({ action: 'account.closed' });
  // The ID number's index, read before the erasure: it names the account's counters on that number.
  const idIndex = (await repo.get(residentId))?.idIndex;
  await repo.deleteFaceChecksOf(residentId);
  // The hooks (card revoked) have run when this returns: a failing one stops the closure here, to be retried.
  await eraseIdentity(deps, residentId, 'account_closed');
  await repo.deleteEnrollment(residentId);
  await repo.reviews.deleteUndecidedOf(residentId);
  await repo.deleteReauthUsesOf(residentId);
  await repo.deleteAttempts(accountCounters(residentId, idIndex, closedAt));
  await accounts.eraseSessions(residentId);
  await accounts.deleteResident(residentId);
  deps.logger.info({ residentId, step: 'account_closed' }, 'account closed');
  return { closedAt, deleted: DELETED, kept: keptList(deps) };
}

/**
 * The account's own try counters (and its held tries on its ID number) of the days they may still exist:
 * a counter is purged two days after its Beijing day. The ID number's own counter stays (anti-abuse).
 */
function accountCounters(residentId: string, idIndex: string | undefined, now: number): string[] {
  const keys: string[] = [];
  for (let back = 0; back <= 3; back++) {
    const { start } = beijingDayOf(now - back * DAY_MS);
    for (const kind of KINDS) {
      keys.push(ownCounter(kind, start, residentId));
      if (idIndex) keys.push(counterKeys(kind, start, residentId, idIndex).held);
    }
  }
  return keys;
}
