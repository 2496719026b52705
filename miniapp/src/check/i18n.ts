import { withMessages, type Messages } from '../i18n';

/** The sentences of the public verification page; they travel in this subpackage, not in the main package. */
export const CHECK_MESSAGES = {
  'check.title': { zh: '电子证照核验', en: 'Check an electronic document' },
  'check.lead': {
    zh: '核验他人出示的电子证照二维码，或纸质加注件上的二维码或 PDF 文件。本页只确认所出示内容的真伪和当前状态，不能按证件号码查询任何证照。',
    en: 'Check a document code someone shows you, or an annotated copy’s QR code or PDF file. This page only confirms what is shown is genuine and current; it cannot look any document up by its number.',
  },
  'check.code': { zh: '证照码或加注件二维码文本', en: 'Document code or annotated copy QR text' },
  'check.codeHint': {
    zh: '以 EIDD1: 或 EIDA1: 开头。可粘贴、用扫码枪扫描，或用下方摄像头扫码。',
    en: 'It starts with EIDD1: or EIDA1:. Paste it, use a scanner, or scan with the camera below.',
  },
  'check.codeRequired': { zh: '请先扫描或粘贴证照码。', en: 'Scan or paste a code first.' },
  'check.verify': { zh: '核验', en: 'Check' },
  'check.verifying': { zh: '正在核验…', en: 'Checking…' },
  'check.again': { zh: '核验下一个', en: 'Check another' },
  'check.pdf': { zh: '上传加注件 PDF', en: 'Upload an annotated copy (PDF)' },
  'check.pdfHint': {
    zh: '选择窗口下载的加注件 PDF 文件，本页读取其中的核验信息。',
    en: 'Choose the annotated copy PDF a window downloaded; the page reads its verification data.',
  },
  'check.pdfChoose': { zh: '选择 PDF 文件', en: 'Choose a PDF file' },
  'check.pdfReading': { zh: '正在读取 {name}…', en: 'Reading {name}…' },
  'check.pdfTooLarge': {
    zh: '文件超过 {mb} MB，不是本系统生成的加注件。',
    en: 'The file is over {mb} MB: it is not an annotated copy from this system.',
  },
  'check.pdfNotPdf': { zh: '请选择 PDF 文件。', en: 'Choose a PDF file.' },
  'check.pdfOffline': {
    zh: '此 PDF 中没有可在本机读取的核验信息，需要联网由核验服务读取。请联网后重试，或扫描加注件上的二维码。',
    en: 'This PDF carries no check data the device can read; the check service must read it. Try again once online, or scan the QR code printed on the copy.',
  },
  'check.checkedAt': { zh: '核验时间：{time}', en: 'Checked at {time}' },
  'check.offline': {
    zh: '（离线核验：使用本机保存的核验数据）',
    en: '(checked offline with the data saved on this device)',
  },
  'check.offlineStatus': {
    zh: '（离线核验：使用本机保存的核验数据，状态数据 {age}）',
    en: '(checked offline with the data saved on this device; status data {age})',
  },
  'check.offlineNoStatus': {
    zh: '（离线核验：本机没有此签发机关的状态数据）',
    en: '(checked offline; this device has no status data for this issuing body)',
  },
  'check.noOfflineData': {
    zh: '无法连接核验服务，本机也没有保存的核验数据，暂时无法核验。请联网后重试。',
    en: 'The check service cannot be reached and this device has no saved check data. Try again once online.',
  },
  'check.age.now': { zh: '不到 1 分钟前更新', en: 'under a minute old' },
  'check.age.min': { zh: '{n} 分钟前更新', en: '{n} min old' },
  'check.age.hour': { zh: '{n} 小时前更新', en: '{n} h old' },
  'check.age.day': { zh: '{n} 天前更新', en: '{n} days old' },
  'check.statusAge': { zh: '签发机关状态数据：{age}', en: 'Issuing body’s status data: {age}' },
  'check.noStatus': {
    zh: '没有可用的签发机关状态数据。',
    en: 'No status data of the issuing body is available.',
  },

  'check.document': { zh: '证照信息', en: 'The document' },
  'check.docType': { zh: '证照类型', en: 'Document type' },
  'check.issuer': { zh: '签发机关', en: 'Issued by' },
  'check.identifier': { zh: '证照标识', en: 'Licence identifier' },
  'check.validity': { zh: '有效期', en: 'Validity' },
  'check.longTerm': { zh: '长期', en: 'Long-term' },
  'check.absent': { zh: '（无）', en: '(none)' },
  'check.shownFor': { zh: '出示用途', en: 'Shown for' },
  'check.disclosed': { zh: '出示的内容', en: 'What it shows' },
  'check.disclosedCompare': {
    zh: '出示的内容（仅供与纸面或持证人核对，不代表证照有效）',
    en: 'What it shows (to compare with the paper or the holder only; it does not make the document valid)',
  },
  'check.nothingDisclosed': {
    zh: '此码未出示任何字段，只证明持有该证照。',
    en: 'The code shows no field: it only proves the document is held.',
  },
  'check.annotation': { zh: '加注信息', en: 'Annotation' },
  'check.annotation.only': {
    zh: '仅供{organisation}{window}办理“{purpose}”使用',
    en: 'Only for {window}, {organisation}, for “{purpose}”',
  },
  'check.annotation.service': { zh: '办理事项', en: 'Service' },
  'check.annotation.accessUntil': { zh: '窗口调阅期限至', en: 'Window access until' },
  'check.annotation.annotatedAt': { zh: '加注时间', en: 'Annotated at' },
  'check.annotation.note': {
    zh: '调阅期限是窗口读取证照的期限；存档的加注件在此之后仍可核验。',
    en: 'The access limit is how long the window could read the document; the filed copy stays verifiable after it.',
  },

  'check.verdict.valid': { zh: '有效', en: 'Valid' },
  'check.verdict.valid.code': {
    zh: '证照真实有效，由签发机关签发、从持证人本人手机出示。请核对出示内容与持证人一致。',
    en: 'The document is genuine and current, issued by its issuing body and shown from the holder’s own phone. Check it matches the person.',
  },
  'check.verdict.valid.annotated': {
    zh: '加注件真实：内容与签发机关签发的证照一致，证照当前有效。请核对纸面内容与下方一致。',
    en: 'The annotated copy is genuine: it matches what the issuing body signed, and the document is current. Check the paper matches what is below.',
  },
  'check.verdict.expired': { zh: '已过期', en: 'Expired' },
  'check.verdict.expired.document': {
    zh: '证照已超过有效期，不能作为有效证照使用。',
    en: 'The document is past its validity and is not valid any more.',
  },
  'check.verdict.expired.code': {
    zh: '二维码已过期（每个码约 1 分钟有效）。请持证人刷新后重新出示。',
    en: 'The code has expired (each lasts about a minute). Ask the holder to refresh it and show it again.',
  },
  'check.verdict.not_yet_valid': { zh: '尚未生效', en: 'Not yet valid' },
  'check.verdict.not_yet_valid.hint': {
    zh: '证照或二维码的时间晚于现在。出示手机的时间可能不准确，请校准后重试。',
    en: 'The document or code is dated later than now. The showing phone’s clock may be wrong: correct it and try again.',
  },
  'check.verdict.revoked': { zh: '已注销', en: 'Revoked' },
  'check.verdict.revoked.hint': {
    zh: '签发机关已注销此证照，不能作为有效证照使用。',
    en: 'The issuing body has revoked this document; it is not valid.',
  },
  'check.verdict.suspended': { zh: '已暂停', en: 'Suspended' },
  'check.verdict.suspended.hint': {
    zh: '签发机关已暂停此证照的效力，暂时不能作为有效证照使用。',
    en: 'The issuing body has suspended this document; it is not valid for now.',
  },
  'check.verdict.unknown_issuer': { zh: '签发机关未知', en: 'Unknown issuer' },
  'check.verdict.unknown_issuer.hint': {
    zh: '签名者不在受信任的签发机关名单中，无法确认真伪，不能作为证照使用。',
    en: 'The signer is not on the trusted list of issuing bodies, so it cannot be confirmed genuine. Do not accept it.',
  },
  'check.verdict.bad_signature': { zh: '签名无效', en: 'Invalid signature' },
  'check.verdict.bad_signature.hint': {
    zh: '签名核验未通过：可能是伪造的，或被复制到他人手机。不能作为证照使用。',
    en: 'The signature does not hold: it may be forged or copied to another phone. Do not accept it.',
  },
  'check.verdict.tampered': { zh: '内容被篡改', en: 'Altered' },
  'check.verdict.tampered.hint': {
    zh: '出示的内容与签发机关签名的不一致，不能作为证照使用。',
    en: 'What it shows does not match what the issuing body signed. Do not accept it.',
  },
  'check.verdict.status_unknown': { zh: '状态暂无法确认', en: 'Status unknown' },
  'check.verdict.status_unknown.hint': {
    zh: '签名真实，但暂时无法确认证照是否已被注销或暂停（状态数据缺失或过旧）。请稍后重试。',
    en: 'The signatures hold, but whether the document was revoked or suspended cannot be confirmed (status data missing or too old). Try again later.',
  },
  'check.verdict.replayed': { zh: '二维码已使用', en: 'Code already used' },
  'check.verdict.replayed.hint': {
    zh: '这个二维码已经核验过，请持证人出示新的二维码。',
    en: 'This code was already checked. Ask the holder for a fresh one.',
  },
  'check.verdict.malformed': { zh: '无法识别', en: 'Not recognised' },
  'check.verdict.malformed.hint': {
    zh: '这不是有效的电子证照码或加注件，请重新扫描或粘贴完整内容。',
    en: 'This is not a document code or an annotated copy. Scan again or paste the whole text.',
  },

  'check.camera.start': { zh: '用摄像头扫码', en: 'Scan with the camera' },
  'check.camera.again': { zh: '再次扫码', en: 'Scan again' },
  'check.camera.weapp': { zh: '扫码', en: 'Scan' },
  'check.camera.stop': { zh: '关闭摄像头', en: 'Stop the camera' },
  'check.camera.videoLabel': { zh: '摄像头画面', en: 'Camera view' },
  'check.camera.starting': { zh: '正在打开摄像头…', en: 'Opening the camera…' },
  'check.camera.scanning': {
    zh: '正在识别：请将二维码完整放入画面。',
    en: 'Scanning: hold the whole QR code inside the picture.',
  },
  'check.camera.unclear': {
    zh: '还没有识别出二维码。请让二维码完整、清晰地出现在画面中；纸质加注件请放平并保持光线充足。',
    en: 'No code read yet. Keep the whole code sharp in the picture; lay a paper copy flat in good light.',
  },
  'check.camera.decoded': { zh: '已识别二维码，摄像头已关闭。', en: 'Code read. The camera is now off.' },
  'check.camera.denied': {
    zh: '摄像头权限被拒绝。请在浏览器设置中允许后重试，或粘贴码文本。',
    en: 'Camera access was refused. Allow it in the browser settings and try again, or paste the code.',
  },
  'check.camera.noCamera': {
    zh: '没有找到可用的摄像头，请粘贴码文本或上传 PDF。',
    en: 'No camera was found. Paste the code or upload the PDF instead.',
  },
  'check.camera.failed': {
    zh: '摄像头无法启动，可能正被其他程序占用。',
    en: 'The camera could not start; another program may be using it.',
  },
  'check.camera.unsupported': {
    zh: '此浏览器无法在本页使用摄像头，请粘贴码文本或上传 PDF。',
    en: 'This browser cannot use the camera here. Paste the code or upload the PDF instead.',
  },
  'check.camera.decoderFailed': {
    zh: '扫码组件加载失败，请刷新页面后重试，或粘贴码文本。',
    en: 'The code reader could not load. Reload the page and try again, or paste the code.',
  },
  'check.error.BODY_TOO_LARGE': {
    zh: '文件过大，不是本系统生成的加注件。',
    en: 'The file is too large to be an annotated copy from this system.',
  },
  'check.error.VALIDATION_FAILED': {
    zh: '无法核验：内容过长或格式不正确，请重新扫描或粘贴完整内容。',
    en: 'Cannot check this: it is too long or not in the right form. Scan again or paste the whole text.',
  },
  'check.error.LICENCE_SYSTEM_UNAVAILABLE': {
    zh: '暂时无法取得签发机关的状态数据，请稍后重试。',
    en: 'The issuing body’s status data cannot be fetched right now. Try again shortly.',
  },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(CHECK_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
