import { withMessages, type Messages } from '../i18n';

/** The sentences of the my-card and bright-code pages; they travel in this subpackage, not in the main package. */
export const CARD_MESSAGES = {
  'card.title': { zh: '我的电子证照', en: 'My electronic ID card' },
  'card.front': { zh: '人像面', en: 'Photo side' },
  'card.back': { zh: '国徽面', en: 'Emblem side' },
  'card.showFront': { zh: '查看人像面', en: 'Show the photo side' },
  'card.showBack': { zh: '查看国徽面', en: 'Show the emblem side' },
  'card.name': { zh: '姓名', en: 'Name' },
  'card.sex': { zh: '性别', en: 'Sex' },
  'card.ethnicity': { zh: '民族', en: 'Ethnicity' },
  'card.birthDate': { zh: '出生', en: 'Born' },
  'card.address': { zh: '住址', en: 'Address' },
  'card.idNumber': { zh: '公民身份号码', en: 'ID number' },
  'card.authority': { zh: '签发机关', en: 'Issuing authority' },
  'card.validity': { zh: '有效期限', en: 'Valid' },
  'card.backTitle1': { zh: '中华人民共和国', en: 'People’s Republic of China' },
  'card.backTitle2': { zh: '居民身份证', en: 'Resident Identity Card' },
  'card.electronic': { zh: '电子证照', en: 'Electronic card' },
  'card.portraitAlt': { zh: '证件照', en: 'ID photo' },
  'card.portraitUnavailable': { zh: '照片暂不可用', en: 'Photo unavailable' },
  'card.reveal': { zh: '显示完整号码', en: 'Show the full number' },
  'card.revealHint': {
    zh: '需要人脸核验确认本人，查看会记入使用记录。',
    en: 'Needs a face check to confirm it is you. Viewing is recorded in your usage records.',
  },
  'card.hide': { zh: '隐藏号码', en: 'Hide the number' },
  'card.issuing': { zh: '正在为本机领取电子证照…', en: 'Getting your card for this phone…' },
  'card.otherDevice': {
    zh: '您的电子证照目前在另一台手机上。迁移到本机后，原手机上的证照将立即失效。',
    en: 'Your card is on another phone. Moving it here stops it working on the other phone at once.',
  },
  'card.moveHere': { zh: '迁移到本机', en: 'Move it to this phone' },
  'card.showBright': { zh: '亮证', en: 'Show QR code' },
  'card.revokedHint': {
    zh: '这张电子证照已注销。如需继续使用，请重新认证领取。',
    en: 'This card has been revoked. To use the service again, verify and get a new card.',
  },
  'card.suspendedHint': {
    zh: '这张电子证照已暂停使用，可在“证照管理”中恢复。',
    en: 'This card is suspended. You can resume it under “Manage card”.',
  },
  'card.suspendedByStaffHint': {
    zh: '这张电子证照已被公安机关暂停使用，只能由公安机关恢复。暂停原因已记录在“使用记录”中。',
    en: 'The police have suspended this card, and only they can restore it. The reason is in your usage records.',
  },

  'bright.title': { zh: '亮证', en: 'Show your card' },
  'bright.instruction': { zh: '请向工作人员出示此二维码', en: 'Show this QR code to the staff member' },
  'bright.refreshIn': { zh: '{s} 秒后自动更新', en: 'Renews in {s} s' },
  'bright.screenshot': {
    zh: '截图无效：每个二维码 60 秒后失效，每 30 秒自动更新。',
    en: 'Screenshots are useless: each code expires after 60 seconds and renews every 30.',
  },
  'bright.offline': { zh: '无需联网即可使用', en: 'Works without a network' },
  'bright.qrLabel': {
    zh: '亮证二维码，请工作人员扫描',
    en: 'Your card’s QR code, for the staff member to scan',
  },
  'bright.noCard': {
    zh: '本机上还没有电子证照。',
    en: 'There is no electronic card on this phone yet.',
  },
  'bright.getCard': { zh: '领取电子证照', en: 'Get my card' },
  'bright.suspended': {
    zh: '证照已暂停使用，核验将不会通过。',
    en: 'Your card is suspended, so checks will fail until you resume it.',
  },
  'bright.expired': {
    zh: '电子证照已过期，请重新领取。',
    en: 'Your electronic card has expired. Please get it again.',
  },
  'bright.purpose': { zh: '出示事由：{purpose}', en: 'Purpose: {purpose}' },

  'disclose.chooseTitle': { zh: '这次出示是为了什么？', en: 'What is this check for?' },
  'disclose.chooseLead': {
    zh: '二维码只包含所选事由需要的信息，其他信息不会出现在二维码中。',
    en: 'The code carries only what the chosen purpose needs; nothing else is in it.',
  },
  'disclose.others': { zh: '其他事由', en: 'Other purposes' },
  'disclose.requested': { zh: '工作人员请求的事由', en: 'Asked for by the staff member' },
  'disclose.unknownRequest': {
    zh: '本机无法识别请求的事由，请自行选择。',
    en: 'This phone does not know the purpose asked for. Please choose one yourself.',
  },
  'disclose.willShow': { zh: '工作人员扫码后将看到：', en: 'After scanning, the staff member will see:' },
  'disclose.nothing': {
    zh: '仅证明您持有本机上的有效电子证照，不显示任何个人信息。',
    en: 'Only that you hold a valid e-ID on this phone. No personal data is shown.',
  },
  'disclose.row': { zh: '{label}：{value}', en: '{label}: {value}' },
  'disclose.online': {
    zh: '联网核验且事由相同时，工作人员还会从电子证照服务获得：{fields}',
    en: 'When checked online for this same purpose, the staff member also gets from the e-ID service: {fields}',
  },
  'disclose.notShown': { zh: '不会显示：{fields}', en: 'Not shown: {fields}' },
  'disclose.show': { zh: '出示二维码', en: 'Show the QR code' },
  'disclose.change': { zh: '更换事由', en: 'Change purpose' },
  'disclose.legacy': {
    zh: '此证照为旧版：二维码包含姓名、性别、出生日期和部分隐藏的身份号码。联网打开“我的电子证照”即可更新，之后可以只出示所需信息。',
    en: 'This card is an older version: its code carries your name, sex, date of birth and partly hidden ID number. Open “My electronic ID card” while online to update it; then you can show only what is needed.',
  },
  'disclose.p.age_over_18': { zh: '满18周岁', en: 'Over 18' },
  'disclose.p.residence_province': { zh: '本省居民', en: 'Resident of province' },
  'disclose.p.holder_only': { zh: '仅证明持证', en: 'Only that I hold an e-ID' },
  'disclose.p.pharmacy': { zh: '药店实名', en: 'Pharmacy' },
  'disclose.p.age_over_60': { zh: '满60周岁', en: 'Over 60' },
  'disclose.p.age_over_16': { zh: '满16周岁', en: 'Over 16' },
  'disclose.p.age_over_14': { zh: '满14周岁', en: 'Over 14' },

  'bright.copy': { zh: '复制码文本', en: 'Copy code text' },
  'bright.copied': { zh: '已复制', en: 'Copied' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(CARD_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
