import { withMessages, type Messages } from '../i18n';

/** The sentences of the document-call pages (scan, approve, receipt); they travel in this subpackage. */
export const CALL_MESSAGES = {
  'calls.title': { zh: '窗口调证', en: 'Document requests' },
  'calls.lead': {
    zh: '在窗口办事时，扫描窗口屏幕上的请求码。您确认后，窗口直接从电子证照系统调取所需证照，无需携带原件、复印件。',
    en: 'At a service window, scan the request code on its screen. Once you approve, the window calls the documents it needs from the electronic licence system: no originals or copies needed.',
  },
  'calls.scanTitle': { zh: '扫描窗口的请求码', en: 'Scan the window’s request code' },
  'calls.camera.start': { zh: '打开相机扫码', en: 'Open the camera' },
  'calls.camera.again': { zh: '再扫一次', en: 'Scan again' },
  'calls.camera.weapp': { zh: '扫描请求码', en: 'Scan the request code' },
  'calls.camera.stop': { zh: '关闭相机', en: 'Close the camera' },
  'calls.camera.starting': { zh: '正在打开相机…', en: 'Opening the camera…' },
  'calls.camera.scanning': {
    zh: '请将窗口屏幕上的二维码放入框内',
    en: 'Hold the code on the window’s screen inside the frame',
  },
  'calls.camera.unclear': {
    zh: '还没有识别到，请靠近一些并避开反光。',
    en: 'Not read yet: move closer and avoid glare.',
  },
  'calls.camera.decoded': { zh: '已识别请求码', en: 'Code read' },
  'calls.camera.denied': {
    zh: '没有相机权限。请在浏览器或系统设置中允许使用相机，或粘贴请求码。',
    en: 'No camera permission. Allow the camera in your settings, or paste the code.',
  },
  'calls.camera.noCamera': {
    zh: '没有找到相机，请粘贴请求码。',
    en: 'No camera found. Paste the code instead.',
  },
  'calls.camera.failed': {
    zh: '相机无法使用，请粘贴请求码。',
    en: 'The camera is not working. Paste the code instead.',
  },
  'calls.camera.unsupported': {
    zh: '此浏览器不支持相机扫码，请粘贴请求码。',
    en: 'This browser cannot scan with the camera. Paste the code instead.',
  },
  'calls.camera.decoderFailed': {
    zh: '扫码组件加载失败，请粘贴请求码。',
    en: 'The scanner did not load. Paste the code instead.',
  },
  'calls.camera.videoLabel': { zh: '相机画面', en: 'Camera view' },
  'calls.paste.label': { zh: '或粘贴请求码', en: 'Or paste the request code' },
  'calls.paste.hint': { zh: '请求码以 EIDR1: 开头。', en: 'A request code starts with EIDR1:.' },
  'calls.paste.open': { zh: '打开请求', en: 'Open the request' },
  'calls.paste.empty': { zh: '请先粘贴请求码。', en: 'Paste the request code first.' },
  'calls.pending.title': { zh: '待您答复的请求', en: 'Waiting for your answer' },
  'calls.pending.none': { zh: '暂时没有待答复的请求。', en: 'No request is waiting for you.' },
  'calls.pending.answerBy': { zh: '请在 {time} 前答复', en: 'Answer by {time}' },
  'calls.pending.open': { zh: '查看并答复', en: 'Review and answer' },
  'calls.history.title': { zh: '我的调证记录', en: 'My document calls' },
  'calls.history.open': { zh: '查看收据', en: 'See the receipt' },
  'calls.state.pending': { zh: '待答复', en: 'Waiting' },
  'calls.state.delivered': { zh: '已提供', en: 'Shared' },
  'calls.state.declined': { zh: '已拒绝', en: 'Declined' },
  'calls.state.expired': { zh: '已过期', en: 'Expired' },
  'calls.state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
  'calls.state.access_expired': { zh: '读取期限已过', en: 'Access ended' },

  'approve.title': { zh: '确认调证请求', en: 'Review the request' },
  'approve.checking': { zh: '正在核验请求…', en: 'Checking the request…' },
  'approve.verified': {
    zh: '已核验：请求由政务服务平台签名，内容未被改动。',
    en: 'Verified: signed by the government service platform and not changed.',
  },
  'approve.who': { zh: '谁在请求', en: 'Who is asking' },
  'approve.organisation': { zh: '单位', en: 'Organisation' },
  'approve.window': { zh: '窗口', en: 'Window' },
  'approve.staff': { zh: '工作人员', en: 'Staff member' },
  'approve.signedBy': { zh: '签名密钥', en: 'Signing key' },
  'approve.what': { zh: '办理什么', en: 'What for' },
  'approve.service': { zh: '办理事项', en: 'Service' },
  'approve.purpose': { zh: '用途', en: 'Purpose' },
  'approve.basis': { zh: '依据', en: 'Legal basis' },
  'approve.documents': { zh: '将提供的证照和信息', en: 'Documents and fields to share' },
  'approve.required': { zh: '必需', en: 'Required' },
  'approve.optional': { zh: '可选', en: 'Optional' },
  'approve.include': { zh: '提供{name}', en: 'Share the {name}' },
  'approve.notShared': { zh: '不提供', en: 'Not shared' },
  'approve.fields': { zh: '读取：{fields}', en: 'Reads: {fields}' },
  'approve.access': {
    zh: '同意后，窗口可在 {duration} 内读取这些证照（约至 {time}），您可随时撤回。',
    en: 'Once you approve, the window may read them for {duration} (until about {time}); you can withdraw at any time.',
  },
  'approve.answerBy': {
    zh: '请在 {time} 前答复，逾期请求自动失效。',
    en: 'Answer by {time}; after that the request lapses.',
  },
  'approve.approve': { zh: '同意提供', en: 'Approve' },
  'approve.decline': { zh: '拒绝', en: 'Decline' },
  'approve.declineConfirm': {
    zh: '确定拒绝这个请求吗？窗口将无法读取您的证照。',
    en: 'Decline this request? The window will not be able to read your documents.',
  },
  'approve.declineYes': { zh: '确定拒绝', en: 'Yes, decline' },
  'approve.keep': { zh: '再想想', en: 'Not now' },
  'approve.declined': {
    zh: '您已拒绝这个请求，窗口不会读取您的证照。',
    en: 'You declined: the window will not read your documents.',
  },
  'approve.pulling': {
    zh: '正在从电子证照系统调取您的证照并交给窗口…',
    en: 'Getting your documents from the electronic licence system for the window…',
  },
  'approve.stillOpen': {
    zh: '请求仍然有效，您可以稍后再次点击“同意提供”。',
    en: 'The request is still open: you can press Approve again later.',
  },
  'approve.forged': { zh: '不是真实的请求', en: 'Not a genuine request' },
  'approve.forgedHint': {
    zh: '请不要提供证照。请告知窗口工作人员，或重新扫描窗口屏幕上的请求码。',
    en: 'Do not share anything. Tell the staff, or scan the code on the window’s screen again.',
  },
  'approve.reason.unknown_request': {
    zh: '平台没有发出过这个请求，不是真实请求',
    en: 'The platform never issued this request: it is not genuine',
  },
  'approve.reason.not_as_recorded': {
    zh: '请求内容与平台记录不一致（被改动），不是真实请求',
    en: 'It differs from what the platform recorded (it was changed): it is not genuine',
  },
  'approve.reason.digest_mismatch': {
    zh: '这不是您看到的那个请求，请重新扫描',
    en: 'This is not the request you were shown; scan again',
  },
  'approve.expired': {
    zh: '请求已过期，请窗口重新发起。',
    en: 'The request has expired. Ask the window for a new one.',
  },
  'approve.notFound': {
    zh: '找不到这个请求：它可能已由他人打开，或不是发给您的。',
    en: 'We could not find this request: someone else may have opened it, or it is not meant for you.',
  },
  'approve.answered': {
    zh: '这个请求已经答复过：{state}。',
    en: 'This request was already answered: {state}.',
  },
  'approve.noCode': {
    zh: '没有要确认的请求，请先扫描窗口的请求码。',
    en: 'There is no request to review. Scan the window’s code first.',
  },
  'approve.scanAgain': { zh: '重新扫描', en: 'Scan again' },
  'approve.seeReceipt': { zh: '查看收据', en: 'See the receipt' },

  'duration.minutes': { zh: '{n} 分钟', en: '{n} min' },
  'duration.hours': { zh: '{n} 小时', en: '{n} h' },
  'duration.days': { zh: '{n} 天', en: '{n} days' },

  'receipt.title': { zh: '调证收据', en: 'Receipt' },
  'receipt.verified': {
    zh: '收据签名有效：由政务服务平台签发，您和窗口各持一份，可随时核验。',
    en: 'Receipt signature valid: issued by the government service platform; you and the window each keep it and can check it any time.',
  },
  'receipt.unverified': {
    zh: '无法核验这张收据的签名，请以平台记录为准。',
    en: 'This receipt’s signature could not be checked; rely on the platform’s record.',
  },
  'receipt.sharedWith': { zh: '提供给', en: 'Shared with' },
  'receipt.shared': { zh: '提供了哪些证照和信息', en: 'What was shared' },
  'receipt.approvedAt': { zh: '同意时间', en: 'Approved' },
  'receipt.accessUntil': { zh: '窗口可读取至', en: 'The window may read until' },
  'receipt.identifier': { zh: '证照标识', en: 'Licence identifier' },
  'receipt.requestId': { zh: '请求编号', en: 'Request number' },
  'receipt.missing': {
    zh: '电子证照系统中没有您的：{types}，未提供。',
    en: 'The licence system holds no {types} of yours: not shared.',
  },
  'receipt.docStatus.valid': { zh: '有效', en: 'Valid' },
  'receipt.docStatus.expired': { zh: '已过期', en: 'Expired' },
  'receipt.docStatus.revoked': { zh: '已注销', en: 'Revoked' },
  'receipt.docStatus.suspended': { zh: '已暂停', en: 'Suspended' },
  'receipt.accessLeft': { zh: '窗口还可读取 {duration}。', en: 'The window may read for {duration} more.' },
  'receipt.accessEnded': {
    zh: '读取期限已过，窗口已无法再读取这些证照。',
    en: 'The access has ended: the window can no longer read these documents.',
  },
  'receipt.withdraw': { zh: '撤回授权', en: 'Withdraw the approval' },
  'receipt.withdrawConfirm': {
    zh: '撤回后，窗口将立即无法再读取这些证照。确定撤回吗？',
    en: 'After withdrawing, the window can no longer read these documents. Withdraw?',
  },
  'receipt.withdrawYes': { zh: '确定撤回', en: 'Yes, withdraw' },
  'receipt.withdrawn': {
    zh: '您已撤回授权，窗口已无法再读取这些证照。',
    en: 'You withdrew the approval: the window can no longer read these documents.',
  },
  'receipt.fullText': { zh: '收据全文', en: 'Full receipt text' },
  'receipt.hideText': { zh: '收起全文', en: 'Hide the text' },
  'receipt.none': {
    zh: '没有找到这张收据。',
    en: 'We could not find this receipt.',
  },
  'receipt.toCalls': { zh: '返回窗口调证', en: 'Back to document requests' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(CALL_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
