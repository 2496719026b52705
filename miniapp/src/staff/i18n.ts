import { withMessages, type Messages } from '../i18n';

/** The sentences of the staff verification page; they travel in this subpackage, not in the main package. */
export const STAFF_MESSAGES = {
  'staff.title': { zh: '证照核验', en: 'Card verification' },
  'staff.loginTitle': { zh: '工作人员登录', en: 'Staff sign-in' },
  'staff.username': { zh: '用户名', en: 'Username' },
  'staff.password': { zh: '密码', en: 'Password' },
  'staff.login': { zh: '登录', en: 'Sign in' },
  'staff.totp': {
    zh: '动态验证码（身份验证器 App 中的 6 位数字，或一次性恢复码）',
    en: 'Verification code (6 digits from your authenticator app, or a recovery code)',
  },
  'staff.sessionEnded': {
    zh: '登录已失效，请重新登录。',
    en: 'Your session has ended. Please sign in again.',
  },
  'staff.signedInAs': { zh: '当前：{name}（{org}）', en: 'Signed in: {name} ({org})' },
  'staff.logout': { zh: '退出', en: 'Sign out' },
  'staff.purpose': { zh: '核验事由', en: 'Purpose of the check' },
  'staff.code': { zh: '亮证码', en: 'Card code' },
  'staff.codeHint': {
    zh: '用扫码枪扫描居民手机上的二维码，或粘贴码文本后按“核验”。',
    en: 'Scan the QR code on the resident’s phone with the scanner, or paste the code text, then press Check.',
  },
  'staff.scan': { zh: '扫码', en: 'Scan' },
  'staff.verify': { zh: '核验', en: 'Check' },
  'staff.verifying': { zh: '正在核验…', en: 'Checking…' },
  'staff.next': { zh: '核验下一位', en: 'Next resident' },
  'staff.checkedAt': { zh: '核验时间：{time}', en: 'Checked at {time}' },
  'staff.issuer': { zh: '签发省份代码：{province}', en: 'Issued by province {province}' },
  'staff.cardData': { zh: '此事由可查看的信息', en: 'Data this purpose allows' },
  'staff.holderOnly': {
    zh: '持证有效，未显示个人信息',
    en: 'Valid e-ID held by this device; no personal data shown',
  },
  'staff.codePurpose': {
    zh: '居民出示的二维码用于“{made}”，只包含该事由的信息。如需“{wanted}”的信息，请居民在亮证页面选择该事由后重新出示。',
    en: 'The resident’s code was made for “{made}” and carries only what that purpose shows. For “{wanted}”, ask them to choose it on their card screen and show a new code.',
  },
  'staff.noCardData': { zh: '此结果不显示持证人信息。', en: 'No holder data is shown for this result.' },
  'staff.codeRequired': { zh: '请先扫描或粘贴亮证码。', en: 'Scan or paste a card code first.' },
  'staff.camera.start': { zh: '用摄像头扫码', en: 'Scan with the camera' },
  'staff.camera.again': { zh: '再次扫码', en: 'Scan again' },
  'staff.camera.weapp': { zh: '扫码', en: 'Scan' },
  'staff.camera.stop': { zh: '关闭摄像头', en: 'Stop the camera' },
  'staff.camera.videoLabel': { zh: '摄像头画面', en: 'Camera view' },
  'staff.camera.starting': {
    zh: '正在打开摄像头并准备识别…',
    en: 'Opening the camera and getting the reader ready…',
  },
  'staff.camera.scanning': {
    zh: '正在识别：请将居民手机上的二维码完整放入画面。',
    en: 'Scanning: hold the resident’s QR code fully inside the picture.',
  },
  'staff.camera.unclear': {
    zh: '还没有识别出二维码。请让二维码完整出现在画面中并保持稳定，靠近一些使其清晰；屏幕反光时请调整角度。',
    en: 'No code read yet. Keep the whole code in the picture and steady, and move closer so it is sharp; tilt the phone if the screen reflects light.',
  },
  'staff.camera.decoded': {
    zh: '已识别二维码，摄像头已关闭。',
    en: 'Code read. The camera is now off.',
  },
  'staff.camera.denied': {
    zh: '摄像头权限被拒绝。请在浏览器设置中允许本页使用摄像头后重试，或改用扫码枪、粘贴码文本。',
    en: 'Camera access was refused. Allow this page to use the camera in the browser settings and try again, or use the scanner or paste the code.',
  },
  'staff.camera.noCamera': {
    zh: '没有找到可用的摄像头。请连接摄像头后重试，或改用扫码枪、粘贴码文本。',
    en: 'No camera was found. Connect one and try again, or use the scanner or paste the code.',
  },
  'staff.camera.failed': {
    zh: '摄像头无法启动，可能正被其他程序占用。请关闭其他使用摄像头的程序后重试。',
    en: 'The camera could not start; another program may be using it. Close that program and try again.',
  },
  'staff.camera.unsupported': {
    zh: '此浏览器无法在本页使用摄像头。请改用扫码枪或粘贴码文本。',
    en: 'This browser cannot use the camera on this page. Use the scanner or paste the code instead.',
  },
  'staff.camera.decoderFailed': {
    zh: '扫码组件加载失败。请刷新页面后重试，或改用扫码枪、粘贴码文本。',
    en: 'The code reader could not load. Reload the page and try again, or use the scanner or paste the code.',
  },

  'offline.note': { zh: '（离线核验，状态数据 {age}）', en: '(checked offline, status data {age})' },
  'offline.noteNoData': { zh: '（离线核验，没有状态数据）', en: '(checked offline, no status data)' },
  'offline.stale': {
    zh: '离线状态数据超过 {max} 未更新，无法确认此证照是否已注销或挂失。请联网后重新核验，或查验实体身份证。',
    en: 'The offline status data is more than {max} old, so a revocation or suspension cannot be ruled out. Check again once online, or check the physical ID card.',
  },
  'offline.age.now': { zh: '不到 1 分钟前', en: 'under a minute old' },
  'offline.age.min': { zh: '{n} 分钟前', en: '{n} min old' },
  'offline.age.hour': { zh: '{n} 小时前', en: '{n} h old' },
  'offline.age.day': { zh: '{n} 天前', en: '{n} days old' },
  'offline.maxAge.min': { zh: '{n} 分钟', en: '{n} min' },
  'offline.maxAge.hour': { zh: '{n} 小时', en: '{n} h' },
  'offline.maxAge.day': { zh: '{n} 天', en: '{n} days' },
  'offline.lists': { zh: '离线核验数据：{age}更新', en: 'Offline check data: {age}' },
  'offline.noLists': {
    zh: '本终端还没有离线核验数据，断网时无法核验。',
    en: 'This terminal has no offline check data yet: it cannot check codes without the network.',
  },
  'offline.queue': { zh: '待上传的离线核验：{n} 条', en: 'Offline checks waiting to upload: {n}' },
  'offline.uploading': { zh: '正在上传离线核验记录…', en: 'Uploading offline checks…' },
  'offline.signInToUpload': {
    zh: '登录后自动上传。',
    en: 'They upload once a staff member signs in.',
  },
  'offline.willRetry': {
    zh: '暂时无法上传，网络恢复后自动上传，记录保存在本机不会丢失。',
    en: 'Cannot upload right now. They upload by themselves once the network is back, and stay on this device until then.',
  },
  'offline.replayedElsewhere': {
    zh: '警告：{time} 离线核验的二维码也在其他终端或联网核验时使用过，可能被复制，请核实持证人身份。',
    en: 'Warning: the code checked offline at {time} was also used at another terminal or online. It may have been copied: confirm the holder’s identity.',
  },

  'verdict.valid': { zh: '有效', en: 'Valid' },
  'verdict.valid.hint': {
    zh: '证照真实有效，由持证人本人手机出示。请核对持证人与照片信息一致。',
    en: 'The card is genuine and shown from the holder’s own phone. Check that the person matches.',
  },
  'verdict.expired': { zh: '二维码已过期', en: 'Code expired' },
  'verdict.expired.hint': {
    zh: '请居民刷新亮证页面后重新出示。',
    en: 'Ask the resident to refresh the card screen and show it again.',
  },
  'verdict.not_yet_valid': { zh: '尚未生效', en: 'Not yet valid' },
  'verdict.not_yet_valid.hint': {
    zh: '居民手机时间可能不准确，请其校准时间后重试。',
    en: 'The resident’s phone clock may be wrong. Ask them to correct it and try again.',
  },
  'verdict.bad_signature': { zh: '签名无效', en: 'Invalid signature' },
  'verdict.bad_signature.hint': {
    zh: '证照可能被篡改或复制到其他手机，不能作为身份证明。',
    en: 'The card may have been altered or copied to another phone. Do not accept it as proof of identity.',
  },
  'verdict.tampered': { zh: '证件信息被篡改', en: 'The code’s data was altered' },
  'verdict.tampered.hint': {
    zh: '二维码中的证件信息与签发机关签名的不一致，不能作为身份证明。',
    en: 'The data in the code does not match what the issuer signed. Do not accept it as proof of identity.',
  },
  'verdict.unknown_issuer': { zh: '签发机关未知', en: 'Unknown issuer' },
  'verdict.revoked': { zh: '已注销', en: 'Revoked' },
  'verdict.revoked.hint': {
    zh: '此电子证照已注销，不能作为身份证明。',
    en: 'This card has been revoked and cannot prove identity.',
  },
  'verdict.suspended': { zh: '已暂停', en: 'Suspended' },
  'verdict.suspended.hint': {
    zh: '持证人已挂失暂停此证照，请查验实体身份证。',
    en: 'The holder has suspended this card (reported lost). Check the physical ID card instead.',
  },
  'verdict.status_unknown': { zh: '状态暂无法确认', en: 'Status unknown' },
  'verdict.status_unknown.hint': {
    zh: '暂时无法确认证照当前状态，请稍后重试或查验实体身份证。',
    en: 'We cannot confirm the card’s current status. Try again shortly or check the physical ID card.',
  },
  'verdict.replayed': { zh: '二维码已使用', en: 'Code already used' },
  'verdict.replayed.hint': {
    zh: '这个二维码已经核验过，请居民出示新的二维码。',
    en: 'This code was already checked. Ask the resident to show a fresh one.',
  },
  'verdict.malformed': { zh: '无法识别', en: 'Not recognised' },
  'verdict.malformed.hint': {
    zh: '这不是有效的亮证码，请重新扫描。',
    en: 'This is not a valid card code. Please scan again.',
  },
  'staff.windowEntry': { zh: '窗口调证（电子证照）', en: 'Document call at this window' },
  'staff.verifyEntry': { zh: '亮证核验', en: 'Check a card code' },
  'staff.checkEntry': {
    zh: '核验电子证照码或加注件（公开核验页）',
    en: 'Check a document code or an annotated copy (public page)',
  },

  'window.title': { zh: '窗口调证', en: 'Document call' },
  'window.noWindow': {
    zh: '此账号没有分配服务窗口，不能发起调证。请联系管理员。',
    en: 'This account is not assigned to a service window, so it cannot call documents. Ask an administrator.',
  },
  'window.at': { zh: '服务窗口：{name}', en: 'Window: {name}' },
  'window.service': { zh: '办理事项', en: 'Service' },
  'window.basis': { zh: '依据：{basis}', en: 'Legal basis: {basis}' },
  'window.purpose': { zh: '调证事由', en: 'Purpose' },
  'window.purposeHint': {
    zh: '居民批准前会看到这段文字，请写明办理的具体事项（不超过 64 个字）。',
    en: 'The resident reads this before approving: say what it is for (at most 64 characters).',
  },
  'window.purposeRequired': { zh: '请填写调证事由。', en: 'Enter the purpose.' },
  'window.purposePlain': { zh: '调证事由只能是一行文字。', en: 'The purpose must be one line of text.' },
  'window.purposeTooLong': { zh: '调证事由不能超过 64 个字。', en: 'The purpose is at most 64 characters.' },
  'window.documents': { zh: '调取的电子证照', en: 'Documents to call' },
  'window.documentsHint': {
    zh: '只能调取此事项目录中列出的证照和字段；必需证照不可取消，可选证照按需勾选。',
    en: 'Only the documents and fields this service lists can be called; required ones stay, optional ones are up to you.',
  },
  'window.required': { zh: '必需', en: 'Required' },
  'window.optional': { zh: '可选', en: 'Optional' },
  'window.fieldsRead': { zh: '可读取：{fields}', en: 'Reads: {fields}' },
  'window.noDocument': { zh: '请至少选择一种证照。', en: 'Choose at least one document.' },
  'window.access': { zh: '批准后可调阅时长', en: 'Read access after approval' },
  'window.access.hour': { zh: '{n} 小时', en: '{n} h' },
  'window.access.day': { zh: '{n} 天', en: '{n} days' },
  'window.access.workingDay': { zh: '1 个工作日（默认）', en: 'One working day (default)' },
  'window.addressedTo': { zh: '居民亮证码（可选）', en: 'Resident’s card code (optional)' },
  'window.addressedToHint': {
    zh: '扫描或粘贴居民的亮证码后，请求会直接出现在该居民的待处理列表中；不填则由居民扫描调证码。',
    en: 'Scan or paste the resident’s card code to put the request in their pending list; otherwise they scan the request code.',
  },
  'window.create': { zh: '生成调证码', en: 'Create the request code' },
  'window.creating': { zh: '正在生成…', en: 'Creating…' },

  'window.call.title': { zh: '调证请求', en: 'Document request' },
  'window.call.missingId': { zh: '没有指定调证请求。', en: 'No request was named.' },
  'window.call.new': { zh: '新建调证请求', en: 'New request' },
  'window.call.requester': {
    zh: '{window}（{organisation}），经办人 {staff}',
    en: '{window} ({organisation}), staff {staff}',
  },
  'window.call.qrLabel': { zh: '调证码：请居民用电子证照扫描', en: 'Request code for the resident to scan' },
  'window.call.scanHint': {
    zh: '请居民打开电子证照“窗口调证”扫描此码，核对窗口信息后批准。',
    en: 'Ask the resident to open “Document call” in their e-ID, scan this code, check who is asking and approve.',
  },
  'window.call.addressed': {
    zh: '请求已发送到居民的待处理列表，居民也可以扫描此码。',
    en: 'The request is in the resident’s pending list; they can also scan this code.',
  },
  'window.call.countdown': {
    zh: '请在 {left} 内答复（截至 {time}）',
    en: 'Answer within {left} (by {time})',
  },
  'window.call.reconnecting': {
    zh: '暂时无法获取请求状态，正在重试…',
    en: 'Cannot reach the service to read the request’s state; retrying…',
  },
  'window.state.pending': { zh: '等待居民确认', en: 'Waiting for the resident' },
  'window.state.delivered': { zh: '居民已授权', en: 'Approved by the resident' },
  'window.state.declined': { zh: '居民已拒绝', en: 'Declined by the resident' },
  'window.state.expired': { zh: '请求已过期', en: 'Request expired' },
  'window.state.withdrawn': { zh: '居民已撤回授权', en: 'Approval withdrawn' },
  'window.state.access_expired': { zh: '调阅期限已到', en: 'Access time over' },
  'window.declined.hint': {
    zh: '居民拒绝了此次调证。如仍需办理，请向居民说明用途后重新发起，或请其提供其他材料。',
    en: 'The resident declined. If still needed, explain the purpose and open a new request, or ask for other papers.',
  },
  'window.expired.hint': {
    zh: '请求在答复期限内没有得到答复，已失效，无法再被批准。请重新发起。',
    en: 'The request was not answered in time and can no longer be approved. Open a new one.',
  },
  'window.accessEnded': {
    zh: '调阅已结束：调阅期限已到或居民已撤回授权，本窗口不能再查看这些证照。',
    en: 'Access has ended: the time ran out or the resident withdrew. This window can no longer read these documents.',
  },
  'window.accessUntil': { zh: '可调阅至 {time}', en: 'Readable until {time}' },
  'window.loadingDocuments': { zh: '正在读取证照…', en: 'Reading the documents…' },
  'window.documentsTitle': { zh: '居民授权的电子证照', en: 'Documents the resident approved' },
  'window.missing': {
    zh: '电子证照库中没有该居民的：{types}',
    en: 'The licence system holds none of these for the resident: {types}',
  },
  'window.omitted': {
    zh: '居民未授权的可选证照：{types}',
    en: 'Optional documents the resident left out: {types}',
  },
  'window.doc.identifier': { zh: '证照标识', en: 'Licence identifier' },
  'window.doc.issuer': { zh: '签发机关代码', en: 'Issuing body code' },
  'window.doc.validity': { zh: '有效期', en: 'Validity' },
  'window.doc.longTerm': { zh: '长期', en: 'Long-term' },
  'window.doc.absent': { zh: '（无）', en: '(none)' },
  'window.status.valid': { zh: '有效', en: 'Valid' },
  'window.status.expired': { zh: '已过期', en: 'Expired' },
  'window.status.revoked': { zh: '已注销', en: 'Revoked' },
  'window.status.suspended': { zh: '已挂起', en: 'Suspended' },
  'window.status.expired.hint': {
    zh: '此证照已超过有效期，不能作为有效证照受理。',
    en: 'This document is past its validity and cannot be accepted as valid.',
  },
  'window.status.revoked.hint': {
    zh: '签发机关已注销此证照：不能作为有效证照受理。',
    en: 'The issuing body has revoked this document: do not accept it as valid.',
  },
  'window.status.suspended.hint': {
    zh: '签发机关已暂停此证照的效力：暂不能作为有效证照受理。',
    en: 'The issuing body has suspended this document: do not accept it as valid for now.',
  },
  'window.pdf': { zh: '下载加注件（PDF）', en: 'Download the annotated copy (PDF)' },
  'window.pdf.busy': { zh: '正在生成加注件…', en: 'Making the annotated copy…' },
  'window.pdf.save': { zh: '保存 {name}', en: 'Save {name}' },
  'window.receipt': { zh: '调证回执', en: 'Receipt' },
  'window.receipt.verified': {
    zh: '回执签名已按信任列表核验（签名密钥 {kid}）。',
    en: 'The receipt’s signature checks out against the trust list (key {kid}).',
  },
  'window.receipt.unverified': {
    zh: '暂时无法核验回执签名；回执内容仍以服务端签名为准，可稍后再核验。',
    en: 'The receipt’s signature could not be checked just now; it can be checked later from its bytes.',
  },
  'window.receipt.bad': {
    zh: '回执签名核验未通过，请勿以此回执作为凭证，并联系管理员。',
    en: 'The receipt’s signature does not check out: do not rely on it, and tell an administrator.',
  },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(STAFF_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
