import type { LicenceLinkNotice } from '@eid/shared';

/**
 * What a resident accepts when linking document types to the wallet: the system the documents come from,
 * what is pulled, what is kept and how to stop. Versioned like the privacy notice: a new text is a new
 * `version`, and a link names the version it was accepted under.
 */
export const LICENCE_LINK_NOTICE: LicenceLinkNotice = {
  version: '2026-12-01',
  system: { zh: '全国一体化政务服务平台电子证照系统', en: 'National electronic licence system' },
  zh: {
    title: '关联电子证照',
    summary:
      '关联后，我们以您的名义向全国一体化政务服务平台电子证照系统调取您所选证照类型下的全部证照，放入您的电子证照夹，并在发证机关更新、注销或暂停证照时自动刷新。',
    pulled: [
      '您选择的证照类型下、登记在您身份号码名下的证照：证照标识、证照编号、发证机关、有效期限、状态和证照上的全部项目',
      '发证机关对证照的电子签名，供您出示证照码时由核验方离线验真',
      '调取时只向电子证照系统提供您的身份号码和所选证照类型，每次调取都记入您的用证记录',
    ],
    kept: [
      '证照内容加密保存，仅用于在您的证照夹中展示和由您出示',
      '取消关联某类证照时，该类证照立即删除；撤回身份核验同意或注销账号时全部删除',
    ],
    withdrawal: '您可随时取消关联任一证照类型；取消后不再调取和刷新该类证照，已保存的该类证照立即删除。',
  },
  en: {
    title: 'Link electronic licences',
    summary:
      'Once linked, we pull on your behalf every document of the types you choose from the national electronic licence system into your licence wallet, and refresh them when the issuing body renews, revokes or suspends one.',
    pulled: [
      'The documents of the chosen types registered under your ID number: licence identifier, document number, issuing body, validity, status and every field printed on the document',
      "The issuing body's signature over each document, so a verifier can check your document code offline",
      'Each pull sends the licence system only your ID number and the chosen types, and is recorded in your usage records',
    ],
    kept: [
      'Document contents are stored encrypted and used only to show them in your wallet and when you present them',
      'Unlinking a type deletes its documents at once; withdrawing consent or closing your account deletes them all',
    ],
    withdrawal:
      'You may unlink any type at any time: it is no longer pulled or refreshed and its stored documents are deleted at once.',
  },
};
