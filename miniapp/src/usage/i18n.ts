import { withMessages, type Messages } from '../i18n';

/** The sentences of the usage-record pages; they travel in this subpackage, not in the main package. */
export const USAGE_MESSAGES = {
  'usage.title': { zh: '使用记录', en: 'Usage records' },
  'usage.lead': {
    zh: '每一次核验您的证照、读取您的信息都会记录在此，记录不可篡改。',
    en: 'Every check of your card and every read of your data is recorded here, in a tamper-evident log.',
  },
  'usage.filterWho': { zh: '使用方', en: 'By' },
  'usage.filterPurpose': { zh: '事由', en: 'Purpose' },
  'usage.filterPeriod': { zh: '时间', en: 'When' },
  'usage.anyone': { zh: '全部', en: 'Anyone' },
  'usage.actor.staff': { zh: '窗口工作人员', en: 'Service staff' },
  'usage.actor.third_party': { zh: '第三方机构', en: 'Organisations' },
  'usage.actor.system': { zh: '系统', en: 'System' },
  'usage.anyPurpose': { zh: '全部事由', en: 'Any purpose' },
  'usage.period.all': { zh: '全部时间', en: 'Any time' },
  'usage.period.7': { zh: '近 7 天', en: 'Last 7 days' },
  'usage.period.30': { zh: '近 30 天', en: 'Last 30 days' },
  'usage.empty': { zh: '暂无记录', en: 'No records yet' },
  'usage.loadMore': { zh: '加载更多', en: 'Load more' },
  'usage.end': { zh: '已显示全部记录', en: 'That is everything' },
  'usage.who': { zh: '使用方', en: 'By' },
  'usage.when': { zh: '时间', en: 'When' },
  'usage.purpose': { zh: '事由', en: 'Purpose' },
  'usage.fields': { zh: '涉及信息', en: 'Data involved' },
  'usage.noFields': { zh: '未涉及个人信息', en: 'No personal data' },
  'usage.result': { zh: '结果', en: 'Result' },
  'usage.action': { zh: '操作', en: 'Action' },
  'usage.seq': { zh: '记录编号', en: 'Record number' },
  'usage.detailTitle': { zh: '记录详情', en: 'Record details' },
  'usage.openDetail': { zh: '查看详情：{what}', en: 'Open details: {what}' },
  'usage.result.ok': { zh: '成功', en: 'Succeeded' },
  'usage.result.denied': { zh: '被拒绝', en: 'Refused' },
  'usage.result.failed': { zh: '未成功', en: 'Failed' },
  'usage.offline': {
    zh: '离线核验：工作人员终端断网时于 {checkedAt} 核验，{uploadedAt} 联网后上传',
    en: 'Checked offline at {checkedAt} while the staff terminal had no network, uploaded {uploadedAt}',
  },
  'usage.replayedElsewhere': {
    zh: '注意：同一个二维码也在其他终端或联网核验时被使用过。如非本人所为，请挂失证照。',
    en: 'Note: the same code was also used at another terminal or online. If that was not you, report your card lost.',
  },
  'usage.mode': { zh: '核验方式', en: 'How it was checked' },
  'usage.mode.offline': { zh: '离线核验', en: 'Offline' },
  'usage.checkedAt': { zh: '核验时间', en: 'Checked at' },
  'usage.uploadedAt': { zh: '上传时间', en: 'Uploaded at' },
  'usage.formerHome': {
    zh: '迁出前在{name}的记录（{movedAt} 迁出）',
    en: 'Records kept by {name}, before you moved ({movedAt})',
  },
  'usage.formerHomeUnavailable': {
    zh: '暂时无法连接{name}，请稍后再查看这些记录。',
    en: '{name} cannot be reached just now; try these records again later.',
  },
  'usage.chainNote': {
    zh: '每条记录都与上一条以哈希链相连，任何改动都能被发现。',
    en: 'Each record is hash-linked to the one before, so any change can be detected.',
  },
  'usage.staff.badge': { zh: '民警警号', en: 'Officer’s badge number' },
  'usage.staff.reason': { zh: '查询理由', en: 'Reason given' },
  'usage.staff.caseNumber': { zh: '案件编号', en: 'Case number' },
  'usage.question.title': { zh: '对此次查询提出异议', en: 'Question this access' },
  'usage.question.lead': {
    zh: '如果您认为这次查询没有正当理由，可以提出异议。审计人员会核查并答复您。',
    en: 'If you think this access had no good reason, question it: an auditor will look into it and answer you.',
  },
  'usage.question.label': { zh: '您的异议', en: 'Your question' },
  'usage.question.hint': { zh: '4 至 1000 字', en: '4 to 1000 characters' },
  'usage.question.tooShort': { zh: '请至少写 4 个字。', en: 'Please write at least 4 characters.' },
  'usage.question.send': { zh: '提交异议', en: 'Send the question' },
  'usage.question.cancel': { zh: '取消', en: 'Cancel' },
  'usage.question.open': {
    zh: '异议已提交（{at}），正在等待审计人员核查。',
    en: 'Your question was sent ({at}) and is waiting for an auditor.',
  },
  'usage.question.answered': { zh: '审计人员已答复（{at}）', en: 'An auditor answered ({at})' },
  'usage.question.finding': { zh: '核查结论', en: 'Finding' },
  'usage.question.finding.justified': { zh: '查询有正当理由', en: 'The access was justified' },
  'usage.question.finding.not_justified': { zh: '查询没有正当理由', en: 'The access was not justified' },
  'usage.question.finding.referred': { zh: '已移交有关部门处理', en: 'Referred for further action' },
  'usage.question.answer': { zh: '答复', en: 'Answer' },
  'usage.notices': { zh: '通知', en: 'Notices' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(USAGE_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
