import { withMessages, type Messages } from '../i18n';

/** The sentences of the card-management and privacy pages; they travel in this subpackage, not in the main package. */
export const ACCOUNT_MESSAGES = {
  'card.moved': { zh: '电子证照已迁移到本机。', en: 'Your card is now on this phone.' },

  'manage.title': { zh: '证照管理', en: 'Manage your card' },
  'manage.status': { zh: '当前状态', en: 'Status' },
  'manage.noCard': { zh: '您还没有领取电子证照。', en: 'You have not got an electronic card yet.' },
  'manage.suspend': { zh: '挂失（暂停使用）', en: 'Report lost (suspend)' },
  'manage.suspendExplain': {
    zh: '手机丢失时使用。暂停后，任何人都无法用这张电子证照通过核验，直到您本人恢复。',
    en: 'Use this if your phone is lost. Until you resume it, nobody can pass a check with this card.',
  },
  'manage.suspendConfirm': {
    zh: '确定暂停电子证照吗？恢复时需要人脸核验。',
    en: 'Suspend your card? You will need a face check to resume it.',
  },
  'manage.suspended': { zh: '电子证照已暂停使用。', en: 'Your card is suspended.' },
  'manage.resume': { zh: '恢复使用', en: 'Resume the card' },
  'manage.resumeExplain': {
    zh: '找回手机后，通过人脸核验即可恢复使用。',
    en: 'Found your phone? Confirm it is you with a face check to resume the card.',
  },
  'manage.resumed': { zh: '电子证照已恢复使用。', en: 'Your card works again.' },
  'manage.move': { zh: '迁移到本机', en: 'Move the card to this phone' },
  'manage.moveExplain': {
    zh: '换了新手机？在新手机上通过人脸核验后迁移，旧手机上的证照会立即失效。',
    en: 'New phone? After a face check on the new phone, the card moves here and stops working on the old one at once.',
  },
  'manage.onThisDevice': { zh: '电子证照就在本机上。', en: 'The card is on this phone.' },
  'manage.withdraw': { zh: '撤回同意', en: 'Withdraw consent' },
  'manage.withdrawExplain': {
    zh: '撤回后：电子证照立即注销，您的身份信息被删除；使用记录会保留，供您和监管部门查询。以后如需使用，要重新同意并认证。',
    en: 'If you withdraw: your card is revoked at once and your identity data erased. Usage records are kept so you and the regulator can still check them. To use the service again you would agree and verify again.',
  },
  'manage.withdrawConfirm': {
    zh: '确定撤回同意吗？电子证照将被注销。',
    en: 'Withdraw your consent? Your card will be revoked.',
  },
  'manage.close': { zh: '注销账户', en: 'Close my account' },
  'manage.closeExplain': {
    zh: '注销后：电子证照作废；身份信息、人脸核验记录、所有登录、e-ID 口令和证照夹立即删除，无法恢复；已授权的第三方须删除所得数据。依法保留：使用记录、授权记录和调证回执（不含您的身份信息和证照内容，默认 3 年，供答复查询与投诉），已吊销的亮证记录（默认至凭证到期后 30 天），以及审计日志（仅含随机账户编号，法定义务）。',
    en: 'If you close your account: the card stops working; your identity data, face checks, every sign-in, the e-ID passcode and the licence wallet are erased at once, for good; parties you allowed must delete what they got. Kept as the law requires: the usage record, consent records and document-call receipts (none holds your identity or documents; 3 years by default, to answer questions and complaints), the revoked card record (by default until 30 days after its credential expires), and the audit log (a random account number only; a legal duty).',
  },
  'manage.closeConfirm': {
    zh: '确定注销账户吗？此操作无法撤销。',
    en: 'Close your account? This cannot be undone.',
  },
  'manage.danger': { zh: '停止使用', en: 'Stop using the service' },

  'privacy.title': { zh: '隐私与授权', en: 'Privacy & consent' },
  'privacy.consentGiven': {
    zh: '您已于 {date} 同意版本 {version}。',
    en: 'You agreed to version {version} on {date}.',
  },
  'privacy.noConsent': { zh: '您目前没有有效的同意。', en: 'You have no consent in force.' },
  'privacy.newVersion': {
    zh: '告知已更新到版本 {version}，请阅读后重新确认。',
    en: 'The notice is now version {version}. Please read it and confirm again.',
  },
  'privacy.reconsent': { zh: '同意新版本', en: 'Agree to the new version' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(ACCOUNT_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
