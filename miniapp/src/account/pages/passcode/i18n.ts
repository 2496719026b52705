import { withMessages, type Messages } from '../../../i18n';

/** The passcode page's sentences (and the link to it on the card-management page). Keys start `passcodePage.`. */
export const PASSCODE_PAGE_MESSAGES = {
  'passcodePage.title': { zh: '电子身份证密码', en: 'e-ID passcode' },
  'passcodePage.lead': {
    zh: '网站要求较高安全等级登录时，除了本机上的电子证照，还要输入这个密码。请不要告诉任何人，工作人员也不会向您索要。',
    en: 'When a website needs a higher level of sign-in, you enter this passcode as well as using the card on this phone. Tell nobody: staff never ask for it.',
  },
  'passcodePage.hint': { zh: '6 到 8 位数字', en: '6 to 8 digits' },
  'passcodePage.link': { zh: '电子身份证密码', en: 'e-ID passcode' },
  'passcodePage.linkHint': {
    zh: '用于较高安全等级的网站登录：设置、修改或找回。',
    en: 'For higher-level website sign-in: set, change or reset it.',
  },
  'passcodePage.status': { zh: '当前状态', en: 'Status' },
  'passcodePage.isSet': { zh: '已设置', en: 'Set' },
  'passcodePage.notSet': { zh: '未设置', en: 'Not set' },
  'passcodePage.triesLeft': {
    zh: '再输错 {n} 次会暂停一段时间。',
    en: '{n} more wrong tries and tries pause for a while.',
  },
  'passcodePage.paused': {
    zh: '输错次数过多，已暂停到 {time}（北京时间）。通过人脸核验重新设置密码，可以立即结束暂停。',
    en: 'Too many wrong tries: paused until {time} (Beijing time). Set a new passcode after a face check to end the pause at once.',
  },
  'passcodePage.updated': { zh: '最近设置：{time}', en: 'Last set: {time}' },
  'passcodePage.set': { zh: '设置密码', en: 'Set your passcode' },
  'passcodePage.change': { zh: '修改密码', en: 'Change the passcode' },
  'passcodePage.forgot': { zh: '忘记密码', en: 'Forgot the passcode' },
  'passcodePage.forgotLead': {
    zh: '通过人脸核验确认是您本人后，就可以设置新密码；如果正在暂停，暂停会立即结束。',
    en: 'Once a face check confirms it is you, set a new passcode; any pause ends at once.',
  },
  'passcodePage.current': { zh: '当前密码', en: 'Current passcode' },
  'passcodePage.new': { zh: '新密码', en: 'New passcode' },
  'passcodePage.confirm': { zh: '再输入一次新密码', en: 'New passcode again' },
  'passcodePage.mismatch': {
    zh: '两次输入的新密码不一致。',
    en: 'The two new passcodes are not the same.',
  },
  'passcodePage.same': {
    zh: '新密码不能和当前密码相同。',
    en: 'The new passcode must differ from the current one.',
  },
  'passcodePage.currentEmpty': { zh: '请输入当前密码。', en: 'Enter the current passcode.' },
  'passcodePage.save': { zh: '保存密码', en: 'Save the passcode' },
  'passcodePage.doneSet': { zh: '电子身份证密码已设置。', en: 'Your e-ID passcode is set.' },
  'passcodePage.doneChange': { zh: '电子身份证密码已修改。', en: 'Your e-ID passcode is changed.' },
  'passcodePage.doneReset': {
    zh: '电子身份证密码已重新设置，暂停已结束。',
    en: 'Your e-ID passcode is reset; any pause has ended.',
  },
  'passcodePage.back': { zh: '返回登录确认', en: 'Back to the sign-in' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for the passcode page: its sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(PASSCODE_PAGE_MESSAGES);
