import { withMessages, type Messages } from '../i18n';

/**
 * The sentences of the sign-in approval page (issue 17: a party's website asks the resident to sign in with
 * the e-ID); they travel in this subpackage. Keys start `signin.`. The error codes' sentences are the main
 * package's (i18n/messages.ts); `signin.err.*` only say a few of them with the party's name or the sign-in
 * in view.
 */
export const SIGNIN_MESSAGES = {
  'signin.title': { zh: '网站登录确认', en: 'Sign-in request' },
  'signin.lead': {
    zh: '有网站请求用您的电子身份证登录。请核对是哪家机构、登录后回到哪个网址，再点选电脑上显示的数字。',
    en: 'A website asks you to sign in with your e-ID. Check who it is and where your browser returns, then tap the number the computer shows.',
  },
  'signin.opening': { zh: '正在打开登录请求…', en: 'Opening the sign-in…' },
  'signin.noCode': {
    zh: '请扫描电脑上登录页显示的二维码，或在下方输入登录请求码。',
    en: 'Scan the QR code on the computer’s sign-in page, or type its request code below.',
  },
  'signin.paste.label': { zh: '登录请求码', en: 'Sign-in request code' },
  'signin.paste.hint': { zh: '请求码以 EIDS1: 开头。', en: 'A request code starts with EIDS1:.' },
  'signin.paste.open': { zh: '打开登录请求', en: 'Open the sign-in' },
  'signin.paste.empty': { zh: '请先输入请求码。', en: 'Type the request code first.' },

  'signin.camera.start': { zh: '扫描登录二维码', en: 'Scan the sign-in QR code' },
  'signin.camera.again': { zh: '重新扫描', en: 'Scan again' },
  'signin.camera.weapp': { zh: '扫描登录二维码', en: 'Scan the sign-in QR code' },
  'signin.camera.stop': { zh: '停止扫描', en: 'Stop scanning' },
  'signin.camera.starting': { zh: '正在打开摄像头…', en: 'Opening the camera…' },
  'signin.camera.scanning': {
    zh: '请把电脑屏幕上的二维码放进框内',
    en: 'Hold the QR code on the computer screen inside the frame',
  },
  'signin.camera.unclear': {
    zh: '还没有读到二维码：请靠近一些，避开屏幕反光。',
    en: 'No code read yet: come a little closer and avoid glare on the screen.',
  },
  'signin.camera.decoded': { zh: '已读到登录二维码。', en: 'Sign-in code read.' },
  'signin.camera.videoLabel': { zh: '摄像头画面', en: 'Camera view' },
  'signin.camera.denied': {
    zh: '没有使用摄像头的权限。请在设置中允许，或在下方输入请求码。',
    en: 'No permission to use the camera. Allow it in the settings, or type the request code below.',
  },
  'signin.camera.noCamera': {
    zh: '没有找到摄像头，请在下方输入请求码。',
    en: 'No camera found. Type the request code below.',
  },
  'signin.camera.failed': {
    zh: '摄像头无法打开，请重试，或在下方输入请求码。',
    en: 'The camera did not open. Try again, or type the request code below.',
  },
  'signin.camera.unsupported': {
    zh: '这个浏览器不能扫码，请在下方输入请求码。',
    en: 'This browser cannot scan. Type the request code below.',
  },
  'signin.camera.decoderFailed': {
    zh: '扫码组件加载失败，请重试，或在下方输入请求码。',
    en: 'The scanner did not load. Try again, or type the request code below.',
  },

  'signin.notFound': {
    zh: '没有找到这次登录。请回到网站重新开始。',
    en: 'This sign-in was not found. Start again at the website.',
  },

  'signin.who': { zh: '谁请求您登录', en: 'Who asks you to sign in' },
  'signin.name': { zh: '名称', en: 'Name' },
  'signin.uscc': { zh: '统一社会信用代码', en: 'Unified social credit code' },
  'signin.category': { zh: '类别', en: 'Category' },
  'signin.checking': { zh: '正在核验登记信息…', en: 'Checking the registration…' },
  'signin.verified': {
    zh: '登记信息已核验：由平台签发，内容未被改动。',
    en: 'Registration verified: issued by the platform and not changed.',
  },
  'signin.signedBy': { zh: '登记签名密钥', en: 'Registration signed by' },
  'signin.forged': { zh: '登记信息无法核验', en: 'The registration does not check out' },
  'signin.forgedHint': {
    zh: '请不要登录。这个请求可能不是由登记的机构发出的。',
    en: 'Do not sign in. This request may not come from a registered organisation.',
  },
  'signin.problem.registry_keys': {
    zh: '平台的登记签名密钥未经信任根签发',
    en: 'The platform’s registration keys are not signed by the trust root',
  },
  'signin.problem.signature': {
    zh: '登记信息的签名无效（被伪造或被改动）',
    en: 'The registration’s signature is not valid (forged or changed)',
  },
  'signin.problem.mismatch': {
    zh: '登记信息与请求方的名称或信用代码不一致',
    en: 'The registration names another organisation than the one asking',
  },
  'signin.problem.not_registered': {
    zh: '该机构没有为这个用途登记，或没有登记其中某些信息',
    en: 'The organisation is not registered for this purpose, or for some of these data',
  },
  'signin.keysUnavailable': {
    zh: '暂时无法核验登记信息，请检查网络后重试。',
    en: 'The registration cannot be checked right now. Check the network and try again.',
  },

  'signin.returnTitle': { zh: '登录后回到', en: 'Where you return' },
  'signin.returnTo': { zh: '登录后，浏览器将回到：', en: 'After signing in, the browser returns to:' },
  'signin.returnNote': {
    zh: '请确认这是您正在登录的网站地址。',
    en: 'Check that this is the address of the website you are signing in to.',
  },
  'signin.warnTitle': { zh: '请不要登录', en: 'Do not sign in' },
  'signin.problem.origin': {
    zh: '这次登录会回到 {origin}，但 {name} 登记的网址是 {registered}。可能有人冒充该机构。',
    en: 'This sign-in would return to {origin}, but {name} is registered with {registered}. Someone may be pretending to be them.',
  },
  'signin.problem.unregistered': {
    zh: '这次登录会回到 {origin}，但 {name} 没有登记网站登录。',
    en: 'This sign-in would return to {origin}, but {name} is not registered for website sign-in.',
  },
  'signin.problem.level': {
    zh: '这次登录的安全等级低于 {name} 登记的等级。',
    en: 'This sign-in asks for a lower level than {name} is registered with.',
  },
  'signin.problem.choices': {
    zh: '手机上的数字与您扫描的二维码不符。',
    en: 'The numbers on this phone do not belong to the code you scanned.',
  },
  'signin.warnHint': {
    zh: '请点“拒绝”，然后回到网站重新开始。',
    en: 'Tap Decline, then start again at the website.',
  },

  'signin.sharedTitle': { zh: '将提供给对方的信息', en: 'What they will get' },
  'signin.sharedNone': {
    zh: '只告诉对方是您本人登录，不提供任何证件信息。',
    en: 'Only that it is you signing in: none of your card data.',
  },
  'signin.sharedId': {
    zh: '对方还会得到一个只对该机构有效的编号，用来认出您下次登录；它不是您的身份证号。',
    en: 'They also get a number that identifies you to them alone, to recognise you next time; it is not your ID number.',
  },
  'signin.purpose': { zh: '用途', en: 'Purpose' },

  'signin.levelTitle': { zh: '安全等级', en: 'Level of assurance' },
  'signin.level.1': {
    zh: '等级 1：用本机上的电子证照确认',
    en: 'Level 1: confirm with the card on this phone',
  },
  'signin.level.2': {
    zh: '等级 2：本机上的电子证照，加电子身份证密码',
    en: 'Level 2: the card on this phone, plus your e-ID passcode',
  },
  'signin.level.3': {
    zh: '等级 3：本机上的电子证照，加电子身份证密码和人脸核验',
    en: 'Level 3: the card on this phone, plus your e-ID passcode and a face check',
  },
  'signin.countdown': {
    zh: '请在 {left} 内完成（{time} 前）。',
    en: 'Finish within {left} (by {time}).',
  },
  'signin.left.minutes': { zh: '{m} 分 {s} 秒', en: '{m} min {s} s' },
  'signin.left.seconds': { zh: '{s} 秒', en: '{s} s' },

  'signin.step.code': {
    zh: '第 1 步：点选电脑上显示的数字',
    en: 'Step 1: tap the number the computer shows',
  },
  'signin.step.codeHint': {
    zh: '电脑上的登录页显示一个四位数字。只点和它一样的那个；如果都不一样，请点“拒绝”。',
    en: 'The sign-in page on the computer shows four digits. Tap the same number here; if none is the same, tap Decline.',
  },
  'signin.code.accessible': { zh: '电脑上显示的是 {code}', en: 'The computer shows {code}' },
  'signin.passcode': { zh: '电子身份证密码', en: 'e-ID passcode' },
  'signin.passcodeHint': { zh: '6 到 8 位数字', en: '6 to 8 digits' },
  'signin.step.passcode': { zh: '第 2 步：输入电子身份证密码', en: 'Step 2: your e-ID passcode' },
  'signin.passcodeMissing': {
    zh: '{name} 要求输入电子身份证密码，您还没有设置。请先设置，再回来完成登录。',
    en: '{name} needs your e-ID passcode, and you have not set one. Set it first, then come back to finish.',
  },
  'signin.setPasscode': { zh: '设置电子身份证密码', en: 'Set an e-ID passcode' },
  'signin.forgotPasscode': { zh: '忘记密码', en: 'Forgot the passcode' },
  'signin.step.face': { zh: '第 3 步：人脸核验', en: 'Step 3: face check' },
  'signin.faceLead': {
    zh: '{name} 要求确认是您本人在操作。',
    en: '{name} needs to see that it is you.',
  },
  'signin.faceDone': { zh: '人脸核验已通过。', en: 'Face check passed.' },
  'signin.noCardHere': {
    zh: '本机上没有您的电子证照，无法用它登录。请先在“证照管理”中把证照迁移到本机。',
    en: 'Your card is not on this phone, so it cannot sign you in. Move the card to this phone under Manage your card first.',
  },
  'signin.toManage': { zh: '去证照管理', en: 'Manage your card' },

  'signin.approve': { zh: '确认登录', en: 'Sign in' },
  'signin.decline': { zh: '拒绝', en: 'Decline' },
  'signin.working': { zh: '正在确认登录…', en: 'Signing you in…' },
  'signin.needCode': { zh: '请先点选电脑上显示的数字。', en: 'Tap the number the computer shows first.' },
  'signin.needPasscode': { zh: '请先输入电子身份证密码。', en: 'Enter your e-ID passcode first.' },
  'signin.needFace': { zh: '请先完成人脸核验。', en: 'Do the face check first.' },

  'signin.approved': {
    zh: '已登录 {name}。请回到电脑上继续，登录页会自动完成。',
    en: 'You are signed in to {name}. Go back to your computer: the sign-in page finishes by itself.',
  },
  'signin.approvedSameDevice': {
    zh: '如果是在这部手机的浏览器里登录的，请切换回浏览器，页面会自动继续。',
    en: 'If you started in this phone’s browser, go back to the browser: the page carries on by itself.',
  },
  'signin.backToBrowser': { zh: '返回浏览器', en: 'Back to the browser' },
  'signin.declined': {
    zh: '您已拒绝，{name} 不会为您登录。',
    en: 'You declined: {name} does not sign you in.',
  },
  'signin.cancelled': {
    zh: '这次登录已被取消。需要登录时，请回到网站重新开始。',
    en: 'This sign-in was cancelled. To sign in, start again at the website.',
  },
  'signin.completed': { zh: '这次登录已完成。', en: 'This sign-in is complete.' },

  'signin.err.cardSuspended': {
    zh: '您的电子证照已挂失（暂停使用），不能用它登录。找回手机后，可以在“证照管理”中恢复。',
    en: 'Your card is suspended (reported lost), so it cannot sign you in. Once you have your phone back, resume it under Manage your card.',
  },
  'signin.err.noCard': {
    zh: '您还没有电子证照，不能用它登录。',
    en: 'You do not have an electronic card yet, so it cannot sign you in.',
  },
  'signin.err.partySuspended': {
    zh: '{name} 的接入已被暂停，暂时不能用电子身份证登录。',
    en: '{name} is suspended for now: you cannot sign in to it with your e-ID.',
  },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(SIGNIN_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
