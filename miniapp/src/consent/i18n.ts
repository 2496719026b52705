import { withMessages, type Messages } from '../i18n';

/**
 * The sentences of the third-party consent pages (open a request, the parties holding a consent); they
 * travel in this subpackage. Error sentences live in the main package (i18n/messages.ts), as for every
 * subpackage. Keys start `consents.` and `parties.` (`consent.` is the main package's privacy notice).
 */
export const CONSENT_MESSAGES = {
  'consents.title': { zh: '授权请求', en: 'Consent request' },
  'consents.lead': {
    zh: '有机构请求获取您的身份信息。请核对是谁、为什么、要哪些信息、保存多久，再决定是否同意。',
    en: 'An organisation asks for your identity data. Check who it is, why, exactly what and for how long, then decide.',
  },
  'consents.opening': { zh: '正在打开请求…', en: 'Opening the request…' },

  'consents.who': { zh: '谁在请求', en: 'Who is asking' },
  'consents.name': { zh: '名称', en: 'Name' },
  'consents.uscc': { zh: '统一社会信用代码', en: 'Unified social credit code' },
  'consents.category': { zh: '类别', en: 'Category' },
  'consents.checking': { zh: '正在核验登记信息…', en: 'Checking the registration…' },
  'consents.verified': {
    zh: '登记信息已核验：由平台签发，内容未被改动。',
    en: 'Registration verified: issued by the platform and not changed.',
  },
  'consents.registeredFor': { zh: '登记用途：{purposes}', en: 'Registered for: {purposes}' },
  'consents.mayAsk': { zh: '此用途可请求：{scopes}', en: 'May ask for, for this purpose: {scopes}' },
  'consents.signedBy': { zh: '登记签名密钥', en: 'Registration signed by' },
  'consents.forged': { zh: '登记信息无法核验', en: 'The registration does not check out' },
  'consents.forgedHint': {
    zh: '请不要同意。这个请求可能不是由登记的机构发出的。',
    en: 'Do not approve. This request may not come from a registered organisation.',
  },
  'consents.problem.registry_keys': {
    zh: '平台的登记签名密钥未经信任根签发',
    en: 'The platform’s registration keys are not signed by the trust root',
  },
  'consents.problem.signature': {
    zh: '登记信息的签名无效（被伪造或被改动）',
    en: 'The registration’s signature is not valid (forged or changed)',
  },
  'consents.problem.mismatch': {
    zh: '登记信息与请求方的名称或信用代码不一致',
    en: 'The registration names another organisation than the one asking',
  },
  'consents.problem.not_registered': {
    zh: '该机构没有登记这个用途，或没有登记其中某些信息',
    en: 'The organisation is not registered for this purpose, or for some of these data',
  },
  'consents.problem.retention': {
    zh: '请求的保存期限超过了其登记的期限',
    en: 'It asks to keep the data longer than its registration allows',
  },
  'consents.keysUnavailable': {
    zh: '暂时无法核验登记信息，请检查网络后重试。',
    en: 'The registration cannot be checked right now. Check the network and try again.',
  },

  'consents.why': { zh: '为什么需要', en: 'Why' },
  'consents.purpose': { zh: '用途', en: 'Purpose' },
  'consents.reason': { zh: '对方说明', en: 'In their words' },
  'consents.fields': { zh: '将提供的信息', en: 'Exactly what they will get' },
  'consents.resultOnly': {
    zh: '只告知核验结果，不提供具体信息',
    en: 'Only whether the check passed: no data',
  },
  'consents.retention': { zh: '保存期限', en: 'Kept for' },
  'consents.days': { zh: '{n} 天', en: '{n} days' },
  'consents.retentionNote': {
    zh: '对方最多保存 {n} 天；您撤回后，对方须删除并签名确认，您可以在“第三方授权”中看到。',
    en: 'They keep it at most {n} days; if you withdraw, they must delete it and confirm with a signature, which you will see under Third-party consents.',
  },
  'consents.countdown': {
    zh: '请在 {left} 内答复（{time} 前），逾期请求自动失效。',
    en: 'Answer within {left} (by {time}); after that the request lapses.',
  },
  'consents.left.minutes': { zh: '{m} 分 {s} 秒', en: '{m} min {s} s' },
  'consents.left.seconds': { zh: '{s} 秒', en: '{s} s' },

  'consents.approve': { zh: '同意提供', en: 'Approve' },
  'consents.decline': { zh: '拒绝', en: 'Decline' },
  'consents.declineConfirm': {
    zh: '确定拒绝吗？对方将不会得到您的任何信息。',
    en: 'Decline? They will get none of your data.',
  },
  'consents.declineYes': { zh: '确定拒绝', en: 'Yes, decline' },
  'consents.keep': { zh: '再想想', en: 'Not now' },
  'consents.approved': {
    zh: '您已同意，{name} 现在可以读取上述信息。您可以随时在“第三方授权”中撤回。',
    en: 'You approved: {name} may now read the data above. You can withdraw at any time under Third-party consents.',
  },
  'consents.declined': {
    zh: '您已拒绝，{name} 不会得到您的信息。',
    en: 'You declined: {name} gets none of your data.',
  },
  'consents.expired': {
    zh: '这个请求已过期，请让对方重新发起。',
    en: 'This request has expired. Ask them for a new one.',
  },
  'consents.answered': {
    zh: '这个请求已经答复过：{state}。',
    en: 'This request was already answered: {state}.',
  },
  'consents.invalid': {
    zh: '这不是有效的授权请求码，请重新扫描，或核对后重新输入。',
    en: 'This is not a valid consent request code. Scan it again, or check it and type it again.',
  },
  'consents.notYours': {
    zh: '这个请求已由其他人打开，或已答复过，不能再由您答复。',
    en: 'Someone else has opened this request, or it was answered already: you cannot answer it.',
  },
  'consents.noCode': {
    zh: '请扫描机构出示的授权二维码，或在下方输入授权请求码。',
    en: 'Scan the organisation’s consent QR code, or type its request code below.',
  },
  'consents.paste.label': { zh: '授权请求码', en: 'Consent request code' },
  'consents.paste.hint': { zh: '请求码以 EIDC1: 开头。', en: 'A request code starts with EIDC1:.' },
  'consents.paste.open': { zh: '打开请求', en: 'Open the request' },
  'consents.paste.empty': { zh: '请先输入请求码。', en: 'Type the request code first.' },
  'consents.toParties': { zh: '查看我的第三方授权', en: 'See my third-party consents' },

  'consents.state.pending': { zh: '待答复', en: 'Waiting' },
  'consents.state.approved': { zh: '已同意', en: 'Approved' },
  'consents.state.declined': { zh: '已拒绝', en: 'Declined' },
  'consents.state.expired': { zh: '已过期', en: 'Expired' },
  'consents.state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },

  'parties.title': { zh: '第三方授权', en: 'Third-party consents' },
  'parties.lead': {
    zh: '这些机构持有您同意提供的信息。您可以随时撤回；撤回后对方须删除这些信息并签名确认。',
    en: 'These organisations hold data you agreed to share. You can withdraw at any time; they must then delete it and confirm with a signature.',
  },
  'parties.none': {
    zh: '还没有机构持有您的授权。',
    en: 'No organisation holds a consent of yours.',
  },
  'parties.open': { zh: '打开授权请求', en: 'Open a consent request' },
  'parties.got': { zh: '得到的信息', en: 'What it got' },
  'parties.approvedAt': { zh: '同意时间', en: 'Approved on' },
  'parties.lastUsed': { zh: '最近使用', en: 'Last used' },
  'parties.neverUsed': { zh: '尚未使用', en: 'Not used yet' },
  'parties.state': { zh: '状态', en: 'State' },
  'parties.withdrawnAt': { zh: '撤回时间', en: 'Withdrawn on' },
  'parties.withdraw': { zh: '撤回授权', en: 'Withdraw' },
  'parties.withdrawConfirm': {
    zh: '撤回后，{name} 将无法再读取这些信息，并须删除已获得的信息。确定撤回吗？',
    en: 'After withdrawing, {name} can no longer read this data and must delete what it got. Withdraw?',
  },
  'parties.withdrawYes': { zh: '确定撤回', en: 'Yes, withdraw' },
  'parties.withdrawn': {
    zh: '您已撤回授权，已通知 {name} 删除这些信息。',
    en: 'You withdrew the consent; {name} has been asked to delete the data.',
  },
  'parties.deletion': { zh: '删除情况', en: 'Deletion' },
  'parties.deletion.confirmed': {
    zh: '已于 {date} 删除，由 {kid} 确认',
    en: 'Deleted on {date}, confirmed by key {kid}',
  },
  'parties.deletion.pending': { zh: '尚未确认删除', en: 'Not yet confirmed' },
  'parties.deletion.dueBy': { zh: '应于 {date} 前确认', en: 'Due by {date}' },
  'parties.deletion.overdue': { zh: '已逾期 {n} 天', en: '{n} days overdue' },
  'parties.deletion.overdueOne': { zh: '已逾期 1 天', en: '1 day overdue' },
  'parties.deletion.note': { zh: '对方说明：{note}', en: 'Their note: {note}' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(CONSENT_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
