import { withMessages, type Messages } from '../i18n';

/** The sentences of the licence wallet (link, wallet, document); they travel in this subpackage. */
export const LICENCE_MESSAGES = {
  'licences.title': { zh: '电子证照夹', en: 'Licence wallet' },
  'licences.lead': {
    zh: '您关联的电子证照都在这里，由发证机关签发，随发证机关的变更自动更新。',
    en: 'The documents you linked, issued and signed by their issuing bodies, kept up to date as they change them.',
  },
  'licences.empty': {
    zh: '您还没有关联电子证照。关联后，驾驶证、行驶证、户口簿等证照会出现在这里，窗口办事时无需再带原件。',
    en: 'You have not linked any documents yet. Once linked, your driving licence, vehicle registration, household register and more appear here, and service windows can call them without originals.',
  },
  'licences.link': { zh: '关联电子证照', en: 'Link documents' },
  'licences.linkMore': { zh: '关联或取消关联证照类型', en: 'Link or unlink document types' },
  'licences.refresh': { zh: '刷新', en: 'Refresh' },
  'licences.refreshHint': {
    zh: '下拉页面或点“刷新”，从电子证照系统获取最新状态。',
    en: 'Pull down or press Refresh to get the latest from the licence system.',
  },
  'licences.pulling': {
    zh: '正在从电子证照系统获取您的证照…',
    en: 'Getting your documents from the electronic licence system…',
  },
  'licences.refreshing': {
    zh: '正在从电子证照系统更新您的证照…',
    en: 'Updating your documents from the electronic licence system…',
  },
  'licences.pulledAt': { zh: '更新于 {time}', en: 'Updated {time}' },
  'licences.neverPulled': { zh: '尚未获取', en: 'Not pulled yet' },
  'licences.changed': {
    zh: '已更新：发证机关变更了您的证照。',
    en: 'Updated: an issuing body changed your documents.',
  },
  'licences.unchanged': { zh: '已是最新。', en: 'Everything is up to date.' },
  'licences.cached': {
    zh: '暂时无法更新，下面是本机上次保存的证照，状态可能不是最新。',
    en: 'We could not update just now. These are the documents this phone saved last time; their status may be out of date.',
  },
  'licences.noDocuments': {
    zh: '已关联的证照类型下暂时没有您的证照。',
    en: 'The linked types hold no document of yours yet.',
  },
  'licences.count': { zh: '共 {n} 份证照', en: '{n} documents' },
  'licences.details': { zh: '查看详情', en: 'Details' },
  'licences.open': { zh: '查看{name}详情', en: 'Open {name}' },
  'licences.longTerm': { zh: '长期', en: 'Long-term' },
  'licences.validUntil': { zh: '有效期至 {date}', en: 'Valid until {date}' },
  'licences.yes': { zh: '是', en: 'Yes' },
  'licences.no': { zh: '否', en: 'No' },
  'licences.electronic': { zh: '电子证照', en: 'Electronic licence' },

  'licence.status.valid': { zh: '有效', en: 'Valid' },
  'licence.status.expired': { zh: '已过期', en: 'Expired' },
  'licence.status.revoked': { zh: '已注销', en: 'Revoked' },
  'licence.status.suspended': { zh: '已暂停', en: 'Suspended' },
  'licence.status.expired.hint': {
    zh: '此证照已超过有效期限，不能再作为有效证照使用，请到发证机关办理换领。',
    en: 'This document is past its validity and no longer counts as valid. Renew it with the issuing body.',
  },
  'licence.status.revoked.hint': {
    zh: '发证机关已注销此证照，它不再有效。如有疑问，请联系发证机关。',
    en: 'The issuing body has revoked this document: it is no longer valid. Ask the issuing body if in doubt.',
  },
  'licence.status.suspended.hint': {
    zh: '发证机关已暂停此证照，暂停期间不能作为有效证照使用。',
    en: 'The issuing body has suspended this document: it does not count as valid while suspended.',
  },

  'link.title': { zh: '关联电子证照', en: 'Link documents' },
  'link.choose': { zh: '选择要关联的证照类型', en: 'Choose the document types to link' },
  'link.linked': { zh: '已关联', en: 'Linked' },
  'link.unlink': { zh: '取消关联{name}', en: 'Unlink {name}' },
  'link.unlinked': {
    zh: '已取消关联{name}，该类证照已从证照夹删除。',
    en: '{name} unlinked: its documents were deleted from your wallet.',
  },
  'link.fields': { zh: '将获取：{fields}', en: 'Pulled: {fields}' },
  'link.source': { zh: '证照来源：{system}', en: 'Source: {system}' },
  'link.summaryChosen': {
    zh: '将从{system}获取您名下的：{types}。',
    en: 'From the {system} we will pull your: {types}.',
  },
  'link.version': { zh: '告知版本 {version}', en: 'Notice version {version}' },
  'link.otherLang': { zh: 'Read this notice in English', en: '查看中文告知' },
  'link.hideOtherLang': { zh: '收起英文告知', en: '收起中文告知' },
  'link.agree': {
    zh: '我已阅读告知，同意从{system}获取上述证照',
    en: 'I have read the notice and agree to pulling these documents from the {system}',
  },
  'link.submit': { zh: '同意并关联', en: 'Agree and link' },
  'link.mustChoose': { zh: '请至少选择一种证照类型。', en: 'Please choose at least one document type.' },
  'link.mustAgree': {
    zh: '请先阅读告知并勾选同意。',
    en: 'Please read the notice and tick the box first.',
  },
  'link.allLinked': {
    zh: '所有证照类型都已关联。',
    en: 'Every document type is linked.',
  },

  'doc.title': { zh: '证照详情', en: 'Document' },
  'doc.fields': { zh: '证照信息', en: 'On the document' },
  'doc.about': { zh: '证照元数据', en: 'About this document' },
  'doc.identifier': { zh: '证照标识', en: 'Licence identifier' },
  'doc.status': { zh: '状态', en: 'Status' },
  'doc.updatedAt': { zh: '发证机关最近变更', en: 'Last changed by the issuing body' },
  'doc.notFound': {
    zh: '证照夹中没有这份证照，它可能已被取消关联。',
    en: 'This document is not in your wallet: it may have been unlinked.',
  },
  'doc.back': { zh: '返回证照夹', en: 'Back to the wallet' },

  'code.title': { zh: '出示证照码', en: 'Show as a code' },
  'code.choose': {
    zh: '出示给谁看？选择用途，二维码只包含该用途可读取的信息。',
    en: 'Who is it for? Choose a purpose: the code carries only what it may read.',
  },
  'code.tells': { zh: '用于“{purpose}”的证照码将告诉对方：', en: 'A code for “{purpose}” tells them:' },
  'code.preparing': { zh: '正在准备证照码…', en: 'Preparing the code…' },
  'code.qrLabel': { zh: '证照码，请核验方扫描', en: 'Document code, for the verifier to scan' },
  'code.refreshIn': { zh: '{s} 秒后自动更新', en: 'Renews in {s} s' },
  'code.offline': {
    zh: '证照码在本机生成，无需联网；每个码 60 秒后失效，截图无效。',
    en: 'Made on this phone, no network needed; each code expires after 60 seconds, so screenshots are useless.',
  },
  'code.hide': { zh: '收起证照码', en: 'Hide the code' },
  'code.notValid': {
    zh: '这份证照当前不是有效状态，不能出示证照码。',
    en: 'This document is not valid now, so it cannot be shown as a code.',
  },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(LICENCE_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
