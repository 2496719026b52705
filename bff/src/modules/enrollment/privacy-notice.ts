/**
 * The privacy notice a resident consents to before any identity check. Versioned: a consent records
 * the version it was given for, and a new version is published by adding it here with a new
 * `version` (older consents stay valid for what they covered; the page asks again on the next visit).
 */
import type { NoticeText, PrivacyNotice } from '@eid/shared';

export type { NoticeText, PrivacyNotice };

const zh: NoticeText = {
  title: '电子居民身份证隐私政策',
  summary:
    '为向您提供电子居民身份证（亮证）服务，我们需要核验您的身份。本政策说明我们处理哪些个人信息、为什么处理、保存多久，以及您享有的权利。',
  controller: '本服务由省级电子证照服务中心提供并对您的个人信息负责。',
  purposes: [
    '实名核验：将您填写的姓名和身份号码提交公安人口信息库核对。',
    '实人核验：由人脸核验服务比对您本人与证件照片，确认是您本人操作。',
    '发放和展示电子身份证，在您出示时供窗口或机构核验。',
    '记录每一次对您个人信息的读取和出示，供您随时查看（用证记录）。',
  ],
  dataKept: [
    {
      item: '姓名、性别、民族、出生日期、住址、身份号码、签发机关、有效期限',
      why: '生成和展示电子身份证',
      retention: '加密保存，至您撤回同意或注销账号时立即删除',
    },
    { item: '身份号码的加密索引', why: '防止同一身份被多个账号同时使用', retention: '与上项相同' },
    {
      item: '用证记录（谁、何时、为何目的、读取了哪些项目）',
      why: '让您知道自己的信息被如何使用',
      retention: '3 年，注销账号后仍按法定期限保存，不含身份号码等明文信息',
    },
    { item: '登录会话', why: '保持您的登录状态', retention: '最长 30 天未使用即失效' },
  ],
  neverKept: [
    '人脸照片和活体视频：只在核验服务中使用，我们不保存',
    '证件照片：每次展示时从公安人口信息库读取，不保存',
  ],
  sharedWith: [
    '公安人口信息库（实名核验）',
    '人脸核验服务（实人核验）',
    '您主动出示电子身份证时的核验窗口或机构，仅限该用途所需项目',
  ],
  rights: [
    '查阅：随时查看电子身份证和用证记录',
    '更正：证件信息以公安机关登记为准，如有错误请到户籍地派出所更正',
    '撤回同意：可随时撤回，撤回后电子身份证立即作废，身份数据立即删除',
    '注销：可注销账号，注销后登录会话和身份数据一并删除',
  ],
  withdrawal: '撤回同意不影响撤回前基于同意已进行的处理；撤回后如需再次使用，需要重新完成实名和实人核验。',
  contact: '个人信息保护联系人：privacy@eid.example.gov.cn，电话 12345',
};

const en: NoticeText = {
  title: 'Electronic Resident ID Privacy Notice',
  summary:
    'To provide your electronic resident ID card we must verify who you are. This notice explains what personal information we process, why, how long we keep it and what your rights are.',
  controller:
    'The service is operated by the provincial e-licence service centre, which is responsible for your personal information.',
  purposes: [
    'Real-name check: your name and ID number are checked against the population registry.',
    'Real-person check: a face verification service compares you with your ID photo to confirm it is you.',
    'Issuing and showing your electronic ID card, and letting a service window or organisation check it when you present it.',
    'Recording every read and disclosure of your personal information so that you can review it (usage records).',
  ],
  dataKept: [
    {
      item: 'Name, sex, ethnicity, date of birth, address, ID number, issuing authority, validity',
      why: 'To create and show your electronic ID card',
      retention: 'Encrypted; erased at once when you withdraw consent or close your account',
    },
    {
      item: 'A keyed index of your ID number',
      why: 'So one identity cannot be used by several accounts at once',
      retention: 'As above',
    },
    {
      item: 'Usage records (who, when, for what purpose, which items)',
      why: 'So you know how your information is used',
      retention:
        '3 years, kept after account closure for the legal period, without your ID number or other card data in clear',
    },
    {
      item: 'Sign-in sessions',
      why: 'To keep you signed in',
      retention: 'End after at most 30 days without use',
    },
  ],
  neverKept: [
    'Face images and liveness video: used only inside the verification service, never stored by us',
    'Your ID photo: read from the registry each time it is shown, never stored',
  ],
  sharedWith: [
    'The population registry (real-name check)',
    'The face verification service (real-person check)',
    'A service window or organisation you choose to show your card to, limited to the items its purpose needs',
  ],
  rights: [
    'Access: view your card and usage records at any time',
    'Correction: card data is what the police registry holds; ask your local police station to correct it',
    'Withdrawal: withdraw consent at any time; your electronic card stops working and your identity data is erased at once',
    'Erasure: close your account; sessions and identity data are erased',
  ],
  withdrawal:
    'Withdrawing consent does not affect processing done before it; to use the service again you must repeat the real-name and real-person checks.',
  contact: 'Personal information contact: privacy@eid.example.gov.cn, telephone 12345',
};

/** The current notice. */
export const PRIVACY_NOTICE: PrivacyNotice = {
  version: '2026-11-01',
  publishedAt: Date.UTC(2026, 10, 1),
  zh,
  en,
};
