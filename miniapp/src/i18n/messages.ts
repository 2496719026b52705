/**
 * The sentences of the main package (the welcome and home pages, shared components, error and label
 * helpers), Chinese and English side by side so a missing translation is a type error. Each subpackage
 * carries its own in `<subpackage>/i18n.ts` and adds them to the lookup when its pages load, so they
 * stay out of the main package. Placeholders are `{name}`.
 */
export const MESSAGES = {
  'app.name': { zh: '电子居民身份证', en: 'Electronic Resident ID' },

  'common.loading': { zh: '正在加载…', en: 'Loading…' },
  'common.working': { zh: '请稍候…', en: 'Please wait…' },
  'common.retry': { zh: '重试', en: 'Try again' },
  'common.back': { zh: '返回', en: 'Back' },
  'common.cancel': { zh: '取消', en: 'Cancel' },
  'common.confirm': { zh: '确定', en: 'Confirm' },
  'common.continue': { zh: '继续', en: 'Continue' },
  'common.home': { zh: '返回首页', en: 'Back to home' },
  'common.langSwitch': { zh: 'English', en: '中文' },
  'common.langSwitchLabel': { zh: 'Switch to English', en: '切换到中文' },
  'common.signOut': { zh: '退出登录', en: 'Sign out' },
  'common.errorTitle': { zh: '未能完成', en: 'That didn’t work' },

  'welcome.title': { zh: '电子居民身份证', en: 'Electronic Resident ID Card' },
  'province.label': { zh: '所在省份', en: 'Province' },
  'province.current': { zh: '当前省份：', en: 'Province: ' },
  'province.switchTo': { zh: '切换到 ', en: 'Switch to ' },
  'welcome.lead': {
    zh: '在手机上使用您的居民身份证：办事时亮证核验，随时查看谁使用过您的信息。',
    en: 'Use your resident ID card on your phone: show it when you need to prove who you are, and see who has used your data.',
  },
  'welcome.point1': {
    zh: '由签发机关数字签名，工作人员扫码即可核验真伪。',
    en: 'Digitally signed by the issuing authority; staff scan it to check it is genuine.',
  },
  'welcome.point2': {
    zh: '不联网也能亮证，二维码每 30 秒自动更新。',
    en: 'Works without a network; the QR code renews every 30 seconds.',
  },
  'welcome.point3': {
    zh: '每一次核验和使用都会记录，您可以随时查看。',
    en: 'Every check and every use of your data is recorded for you to see.',
  },
  'welcome.continue': { zh: '继续办理', en: 'Continue' },
  'welcome.staffEntry': { zh: '工作人员核验入口', en: 'Staff verification terminal' },
  'welcome.signingIn': { zh: '正在登录…', en: 'Signing in…' },

  'consent.heading': { zh: '个人信息保护告知', en: 'Privacy notice' },
  'consent.purposes': { zh: '我们为什么处理您的信息', en: 'Why we process your data' },
  'consent.dataKept': { zh: '我们保存哪些信息', en: 'What we keep' },
  'consent.retention': { zh: '保存多久', en: 'How long we keep it' },
  'consent.rights': { zh: '您的权利', en: 'Your rights' },
  'consent.contact': { zh: '联系我们', en: 'Contact' },
  'consent.neverKept': { zh: '我们不保存的信息', en: 'What we never keep' },
  'consent.sharedWith': { zh: '信息会提供给谁', en: 'Who receives your data' },
  'consent.withdrawal': { zh: '撤回同意', en: 'Withdrawing consent' },
  'consent.why': { zh: '用途：{why}', en: 'Why: {why}' },
  'consent.keptFor': { zh: '保存期限：{retention}', en: 'Kept: {retention}' },
  'consent.showAll': { zh: '阅读完整告知', en: 'Read the full notice' },
  'consent.showLess': { zh: '收起', en: 'Show less' },
  'consent.version': { zh: '版本 {version}，发布于 {date}', en: 'Version {version}, published {date}' },
  'consent.checkbox': {
    zh: '我已阅读并同意《个人信息保护告知》',
    en: 'I have read and agree to the privacy notice',
  },
  'consent.agree': { zh: '同意并继续', en: 'Agree and continue' },
  'consent.mustAgree': {
    zh: '请先阅读告知并勾选同意。',
    en: 'Please read the notice and tick the box first.',
  },
  'consent.loadingNotice': { zh: '正在加载隐私告知…', en: 'Loading the privacy notice…' },

  'signout.revoked': {
    zh: '您的登录已失效（可能已在其他设备登录，或会话已被撤销），请重新登录。',
    en: 'Your session has ended (you may have signed in elsewhere, or it was revoked). Please sign in again.',
  },
  'signout.expired': {
    zh: '登录已过期，请重新登录。',
    en: 'Your sign-in has expired. Please sign in again.',
  },
  'signout.signed_out': { zh: '您已退出登录。', en: 'You have signed out.' },
  'signout.withdrawn': {
    zh: '您已撤回同意：电子证照已注销，身份信息已删除。',
    en: 'You withdrew your consent: your card is revoked and your identity data erased.',
  },
  'signout.closed': {
    zh: '账户已注销，相关身份信息已删除。',
    en: 'Your account is closed and your identity data erased.',
  },

  'error.ID_NUMBER_INVALID_FORMAT': {
    zh: '身份证号码应为 18 位：前 17 位是数字，最后一位是数字或 X。',
    en: 'An ID number has 18 characters: 17 digits, then a digit or X.',
  },
  'error.ID_NUMBER_LEGACY_15': {
    zh: '15 位旧号码已停用，请填写 18 位号码。',
    en: 'Old 15-digit numbers are no longer used. Please enter your 18-character number.',
  },
  'error.ID_NUMBER_BAD_REGION': {
    zh: '前 6 位不是有效的地区代码，请核对。',
    en: 'The first 6 digits are not a valid region code. Please check them.',
  },
  'error.ID_NUMBER_BAD_BIRTH_DATE': {
    zh: '第 7 至 14 位的出生日期不正确，请核对。',
    en: 'The birth date in digits 7 to 14 is not a real date. Please check it.',
  },
  'error.ID_NUMBER_BAD_CHECK_DIGIT': {
    zh: '号码校验未通过，可能有数字输错，请逐位核对。',
    en: 'This number does not add up, so a digit may be mistyped. Please check each one.',
  },
  'error.REAL_NAME_MISMATCH': {
    zh: '姓名与身份证号码不一致，请核对后重试。如确认无误，请咨询户籍所在地派出所。',
    en: 'The name and ID number do not match the registry. Please check them and try again; if they are right, ask at your local police station.',
  },
  'error.REAL_NAME_NOT_FOUND': {
    zh: '未查到该号码的登记信息。请核对号码，或咨询户籍所在地派出所。',
    en: 'We could not find this ID number in the registry. Check it, or ask at your local police station.',
  },
  'error.REAL_NAME_CARD_CANCELLED': {
    zh: '该身份证已注销，无法领取电子证照。如有疑问，请咨询户籍所在地派出所。',
    en: 'This ID card has been cancelled, so no electronic card can be issued. Ask your local police station if this is unexpected.',
  },
  'error.REAL_NAME_DECEASED': {
    zh: '该身份信息无法办理电子证照。如有疑问，请咨询户籍所在地派出所。',
    en: 'No electronic card can be issued for this identity. Please contact your local police station.',
  },
  'error.REAL_NAME_CARD_EXPIRED': {
    zh: '您的居民身份证已过有效期，请先换领新证。',
    en: 'Your ID card has expired. Please renew it first.',
  },
  'error.attemptsLeft': { zh: '今天还可以尝试 {n} 次。', en: 'You can try {n} more times today.' },
  'error.ATTEMPTS_EXHAUSTED': {
    zh: '尝试次数已用完，请在 {time} 之后再试。',
    en: 'You have used all your attempts. Try again after {time}.',
  },
  'error.ATTEMPTS_EXHAUSTED.today': {
    zh: '今天的尝试次数已用完，请明天再试。',
    en: 'You have used all of today’s attempts. Please try again tomorrow.',
  },
  'error.FACE_LIVENESS_FAILED': {
    zh: '未能确认是本人实时拍摄。请正对镜头拍摄，不要翻拍照片或屏幕。',
    en: 'We could not confirm a live photo of you. Face the camera yourself; do not photograph a picture or a screen.',
  },
  'error.FACE_LOW_SIMILARITY': {
    zh: '照片与证件照比对未通过。请摘下帽子和眼镜，正对镜头重新拍摄。',
    en: 'Your photo did not match your ID photo. Remove any hat or glasses and face the camera.',
  },
  'error.FACE_POOR_QUALITY': {
    zh: '照片不够清晰或光线不足。请到明亮处，让整张脸出现在画面中。',
    en: 'The photo is unclear or too dark. Move somewhere bright with your whole face in the frame.',
  },
  'error.FACE_NOT_COMPLETED': {
    zh: '拍摄尚未完成，请重新拍摄。',
    en: 'The photo was not taken yet. Please take it again.',
  },
  'error.FACE_VERIFY_ID_INVALID': {
    zh: '本次核验已超时，请重新开始。',
    en: 'This check took too long. Please start again.',
  },
  'error.UPSTREAM_TIMEOUT': {
    zh: '服务响应较慢，请稍后重试。',
    en: 'The service is slow to answer. Please try again in a moment.',
  },
  'error.UPSTREAM_UNAVAILABLE': {
    zh: '暂时无法连接服务，请检查网络后重试。',
    en: 'We cannot reach the service right now. Check your connection and try again.',
  },
  'error.NOT_READY': {
    zh: '服务正在启动，请稍后重试。',
    en: 'The service is starting up. Please try again shortly.',
  },
  'error.RATE_LIMITED': {
    zh: '操作过于频繁，请稍等片刻再试。',
    en: 'Too many tries in a short time. Please wait a moment.',
  },
  'error.ENROLLMENT_OUT_OF_ORDER': {
    zh: '请先完成前面的步骤。',
    en: 'Please finish the earlier steps first.',
  },
  'error.CONSENT_REQUIRED': {
    zh: '需要先同意《个人信息保护告知》。',
    en: 'You need to agree to the privacy notice first.',
  },
  'error.CONSENT_VERSION_MISMATCH': {
    zh: '告知内容已更新，请重新阅读并确认。',
    en: 'The privacy notice has changed. Please read it again and confirm.',
  },
  'error.CARD_NOT_ELIGIBLE': {
    zh: '请先完成实名认证和人脸核验。',
    en: 'Please finish the identity and face checks first.',
  },
  'error.CARD_NOT_FOUND': { zh: '您还没有电子证照。', en: 'You do not have an electronic card yet.' },
  'error.CARD_SUSPENDED': {
    zh: '电子证照已暂停使用，恢复后才能使用。',
    en: 'Your card is suspended. Resume it to use it again.',
  },
  'error.CARD_REVOKED': { zh: '电子证照已注销。', en: 'This card has been revoked.' },
  'error.CARD_NOT_SUSPENDED': { zh: '电子证照未处于暂停状态。', en: 'The card is not suspended.' },
  'error.QUESTION_NOT_STAFF_ACCESS': {
    zh: '只能对公安工作人员的查询提出异议。',
    en: 'Only an access by police staff can be questioned.',
  },
  'error.QUESTION_ALREADY_OPEN': {
    zh: '您已对这次查询提出过异议，请等待审计人员答复。',
    en: 'You already questioned this access; wait for the auditor’s answer.',
  },
  'error.CARD_SUSPENDED_BY_STAFF': {
    zh: '电子证照已被公安机关暂停使用，只能由公安机关恢复。如有疑问，请携带居民身份证到派出所咨询。',
    en: 'The police have suspended your card, and only they can restore it. If you have questions, bring your ID card to a police station.',
  },
  'error.DEVICE_KEY_INVALID': {
    zh: '本设备的安全密钥无效，请重新领取电子证照。',
    en: 'This phone’s security key is not valid. Please get your card again.',
  },
  'error.DEVICE_KEY_INVALID.clock': {
    zh: '手机时间与标准时间相差太多，请在系统设置中开启“自动设置时间”后重试。',
    en: 'Your phone’s clock is too far off. Turn on automatic date and time in Settings, then try again.',
  },
  'error.REAUTH_REQUIRED': {
    zh: '需要先通过人脸核验确认是您本人。',
    en: 'Please confirm it is you with a face check first.',
  },
  'error.LOGIN_CODE_INVALID': { zh: '登录未成功，请重试。', en: 'Sign-in did not work. Please try again.' },
  'error.signInAgain': { zh: '登录已失效，请重新登录。', en: 'Please sign in again.' },
  'error.CREDENTIALS_INVALID': { zh: '用户名或密码不正确。', en: 'Wrong username or password.' },
  'error.TOTP_REQUIRED': {
    zh: '此账号已开启双重验证，请输入身份验证器中的动态验证码。',
    en: 'This account uses two-step verification: enter the code from your authenticator app.',
  },
  'error.TOTP_INVALID': {
    zh: '动态验证码不正确或已使用过，请等待下一个验证码后重试。',
    en: 'The code is wrong or was already used. Wait for the next code and try again.',
  },
  'error.TOTP_ENROLMENT_REQUIRED': {
    zh: '此账号需先在管理页面开启双重验证后才能使用。',
    en: 'This account must set up two-step verification on the admin pages first.',
  },
  'error.FORBIDDEN': { zh: '您没有权限进行此操作。', en: 'You are not allowed to do this.' },
  'error.VALIDATION_FAILED': {
    zh: '填写的内容有误，请检查后重试。',
    en: 'Something in the form is not right. Please check it.',
  },
  'error.BODY_TOO_LARGE': {
    zh: '照片过大，请重新拍摄。',
    en: 'The photo is too large. Please take another one.',
  },
  'error.CODE_MALFORMED': { zh: '这不是有效的亮证码。', en: 'This is not a valid card code.' },
  'error.PURPOSE_UNKNOWN': { zh: '请选择核验事由。', en: 'Please choose the purpose of the check.' },
  'error.NOT_FOUND': { zh: '没有找到相关内容。', en: 'We could not find that.' },
  // The licence wallet's and the document call's codes, here once because every subpackage's sentences
  // share one lookup (a subpackage's own wording would replace the others' for the rest of the session).
  'error.LICENCE_SYSTEM_UNAVAILABLE': {
    zh: '电子证照系统暂时无法访问，请稍后再试。',
    en: 'The electronic licence system is not available right now. Please try again later.',
  },
  'error.LICENCE_TYPE_UNKNOWN': { zh: '暂不支持这类证照。', en: 'This kind of document is not supported.' },
  'error.LICENCE_NOT_LINKED': {
    zh: '您还没有关联这类证照。',
    en: 'You have not linked this kind of document.',
  },
  'error.DOCUMENT_REQUEST_INVALID': {
    zh: '这不是真实的调证请求，请不要提供证照。',
    en: 'This is not a genuine document request. Do not share anything.',
  },
  'error.DOCUMENT_REQUEST_EXPIRED': {
    zh: '请求已过期，请窗口重新发起。',
    en: 'The request has expired. Ask the window for a new one.',
  },
  'error.DOCUMENT_CALL_WRONG_STATE': {
    zh: '此请求当前的状态不允许这样做。',
    en: 'The request is not in a state that allows this.',
  },
  'error.DOCUMENT_ACCESS_EXPIRED': {
    zh: '调阅已结束：调阅期限已到或授权已撤回。',
    en: 'Access has ended: the time ran out or the approval was withdrawn.',
  },
  'error.DOCUMENT_CALL_OVERREACH': {
    zh: '请求的证照或字段超出了此事项允许的范围。',
    en: 'The request asks for more than this service may read.',
  },
  'error.DOCUMENT_SERVICE_UNKNOWN': {
    zh: '此办理事项不在公布的目录中。',
    en: 'This service is not in the published catalogue.',
  },
  'error.DOCUMENT_ADDRESSEE_INVALID': {
    zh: '居民亮证码无效或已过期，请让居民刷新后重新出示，或不填此项。',
    en: 'The resident’s card code is not valid or has expired: ask for a fresh one, or leave it empty.',
  },
  // The consent requests of relying parties (issue 16): the resident's pages show these.
  'error.CONSENT_REQUEST_INVALID': {
    zh: '这不是有效的授权请求码，请重新扫描，或核对后重新输入。',
    en: 'This is not a valid consent request code. Scan it again, or check it and type it again.',
  },
  'error.CONSENT_REQUEST_EXPIRED': {
    zh: '这个授权请求已过期，请让对方重新发起。',
    en: 'This consent request has expired. Ask them for a new one.',
  },
  'error.CONSENT_WRONG_STATE': {
    zh: '这个授权当前的状态不允许这样做（可能已答复、已撤回或已由他人打开）。',
    en: 'The consent is not in a state that allows this (answered, withdrawn, or opened by someone else).',
  },
  'error.PARTY_SUSPENDED': {
    zh: '该机构的接入已被暂停，暂时不能办理。',
    en: 'This organisation’s access is suspended for now.',
  },
  'error.PARTY_RATE_LIMITED': {
    zh: '该机构的请求过于频繁，请稍后再试。',
    en: 'This organisation is sending too many requests. Try again shortly.',
  },
  'error.PARTY_QUOTA_EXCEEDED': {
    zh: '该机构今天的请求次数已用完，请明天再试。',
    en: 'This organisation has used up today’s requests. Try again tomorrow.',
  },
  'error.PARTY_PURPOSE_NOT_REGISTERED': {
    zh: '该机构没有登记这个用途，不能请求。',
    en: 'This organisation is not registered for this purpose.',
  },
  'error.PARTY_SCOPE_NOT_REGISTERED': {
    zh: '该机构请求的信息超出了其登记的范围。',
    en: 'This organisation asks for more than it is registered for.',
  },
  'error.PARTY_GRANT_INVALID': {
    zh: '登记的用途和信息范围不符合最小必要原则。',
    en: 'The registered purposes and data do not meet the minimum-necessary rule.',
  },
  'error.PARTY_KEY_CONFLICT': {
    zh: '这个密钥编号已被使用，请换一个。',
    en: 'This key id is already in use. Choose another.',
  },
  'error.PARTY_KEY_LIMIT': {
    zh: '同时最多只能有两个有效密钥，请先停用一个。',
    en: 'At most two keys may be active at once. Retire one first.',
  },
  // Remote sign-in and the e-ID passcode (issue 17): the sign-in approval and passcode pages show these.
  'error.SIGNIN_CODE_INVALID': {
    zh: '这不是有效的登录二维码。请在电脑上刷新登录页，再重新扫描。',
    en: 'This is not a valid sign-in code. Refresh the sign-in page on the computer and scan again.',
  },
  'error.SIGNIN_EXPIRED': {
    zh: '这次登录已超时。请回到网站，重新选择用电子身份证登录。',
    en: 'This sign-in timed out. Go back to the website and choose to sign in with your e-ID again.',
  },
  'error.SIGNIN_WRONG_STATE': {
    zh: '这次登录已由其他人打开，或已经处理过，不能由您确认。请回到网站重新开始。',
    en: 'Someone else opened this sign-in, or it was answered already: you cannot approve it. Start again at the website.',
  },
  'error.SIGNIN_CONTROL_CODE_MISMATCH': {
    zh: '两边的数字不一致，为保护您，这次登录已被终止。如果您并没有在自己的电脑上登录，可能有人想借您的手机登录：请不要扫描别人发来的登录二维码。需要登录时，请回到网站重新开始。',
    en: 'The codes did not match; this sign-in was stopped to protect you. If you were not signing in on your own computer, someone may have tried to sign in with your phone: never scan a sign-in code someone sends you. To sign in, start again at the website.',
  },
  'error.SIGNIN_LEVEL_NOT_MET': {
    zh: '这个网站要求输入电子身份证密码，请先输入。',
    en: 'This website needs your e-ID passcode: enter it first.',
  },
  'error.SIGNIN_LEVEL_NOT_MET.face': {
    zh: '这个网站要求人脸核验，请先完成人脸核验。',
    en: 'This website needs a face check: do it first.',
  },
  'error.DEVICE_SIGNATURE_INVALID': {
    zh: '本机未能证明持有您的电子证照。请检查手机的日期和时间是否准确；如果证照已迁移到另一部手机，请在那部手机上确认。',
    en: 'This phone could not prove it holds your card. Check the phone’s date and time; if you moved the card to another phone, approve there.',
  },
  'error.PASSCODE_NOT_SET': {
    zh: '您还没有设置电子身份证密码，请先设置。',
    en: 'You have not set an e-ID passcode yet: set one first.',
  },
  'error.PASSCODE_WEAK': { zh: '密码须为 6 到 8 位数字。', en: 'The passcode must be 6 to 8 digits.' },
  'error.PASSCODE_WEAK.repeated': {
    zh: '密码不能全是同一个数字（例如 111111），太容易被猜到。',
    en: 'Not one digit repeated (like 111111): that is too easy to guess.',
  },
  'error.PASSCODE_WEAK.sequence': {
    zh: '密码不能是连续的数字（例如 123456 或 654321），太容易被猜到。',
    en: 'Not a straight run (like 123456 or 654321): that is too easy to guess.',
  },
  'error.PASSCODE_WRONG': { zh: '密码不正确。', en: 'That passcode is not right.' },
  'error.PASSCODE_WRONG.triesLeft': {
    zh: '密码不正确。还可以再试 {n} 次，之后会暂停一段时间。',
    en: 'That passcode is not right. {n} more tries before a pause.',
  },
  'error.PASSCODE_WRONG.lastTry': {
    zh: '密码不正确。还可以再试 1 次，之后会暂停一段时间。',
    en: 'That passcode is not right. One more try before a pause.',
  },
  'error.PASSCODE_PAUSED': {
    zh: '密码错误次数过多，暂时不能再试。忘记密码可以通过人脸核验重新设置。',
    en: 'Too many wrong passcodes: tries are paused for now. Forgot it? Set a new one after a face check.',
  },
  'error.PASSCODE_PAUSED.until': {
    zh: '密码错误次数过多，已暂停到 {time}（北京时间）。忘记密码可以通过人脸核验重新设置，暂停会立即结束。',
    en: 'Too many wrong passcodes: tries are paused until {time} (Beijing time). Forgot it? Set a new one after a face check and the pause ends at once.',
  },
  'error.generic': {
    zh: '出了点问题，请稍后重试。',
    en: 'Something went wrong. Please try again shortly.',
  },

  'face.tipLight': { zh: '光线充足，避免逆光', en: 'Good light, not from behind you' },
  'face.tipFace': { zh: '摘下帽子、口罩和眼镜', en: 'Remove hat, mask and glasses' },
  'face.tipLive': { zh: '本人实时拍摄，不要翻拍照片', en: 'A live photo of you, not of a photo' },
  'face.start': { zh: '开始人脸核验', en: 'Start face check' },
  'face.useCamera': { zh: '打开摄像头', en: 'Open the camera' },
  'face.takePhoto': { zh: '拍照', en: 'Take photo' },
  'face.choosePhoto': { zh: '选择或拍摄照片', en: 'Choose or take a photo' },
  'face.cameraUnavailable': {
    zh: '无法使用摄像头，请改为选择或拍摄照片。',
    en: 'The camera is not available. Choose or take a photo instead.',
  },
  'face.videoLabel': { zh: '摄像头预览', en: 'Camera preview' },
  'face.preparing': { zh: '正在准备核验…', en: 'Preparing the check…' },
  'face.uploading': { zh: '正在上传照片…', en: 'Sending the photo…' },
  'face.checking': { zh: '正在比对…', en: 'Comparing…' },
  'face.passed': { zh: '已确认是您本人', en: 'Confirmed: it is you' },
  'face.reauthLead': {
    zh: '这是一项敏感操作，请先通过人脸核验确认是您本人。',
    en: 'This is a sensitive action. Please confirm it is you with a face check first.',
  },
  'face.cancelled': { zh: '已取消拍摄。', en: 'Photo cancelled.' },

  'home.title': { zh: '电子居民身份证', en: 'Electronic Resident ID' },
  'home.greeting': { zh: '您好', en: 'Hello' },
  'home.enrollTitle': { zh: '还差一步', en: 'Almost there' },
  'home.enrollHint': {
    zh: '完成实名认证和人脸核验后，即可领取电子证照。',
    en: 'Finish the identity and face checks to get your electronic card.',
  },
  'home.continueEnroll': { zh: '继续认证', en: 'Continue' },
  'review.pendingTitle': { zh: '人工审核中', en: 'Being checked by staff' },
  'review.pendingBody': {
    zh: '系统未能自动确认您的身份，已转交公安工作人员人工审核。审核完成后，结果会显示在这里，无需重新提交。',
    en: 'We could not confirm your identity automatically, so police staff are checking it by hand. The result will appear here; you do not need to apply again.',
  },
  'review.cause.face_borderline': {
    zh: '原因：您的照片与证件照相似度略低于自动通过标准。',
    en: 'Why: your photo was only slightly less similar to your ID photo than an automatic pass needs.',
  },
  'review.cause.registry_anomaly': {
    zh: '原因：户籍登记信息需要工作人员核对。',
    en: 'Why: your registry record needs a staff member to look at it.',
  },
  'review.approved': {
    zh: '人工审核已通过，您可以领取电子证照。',
    en: 'Staff have confirmed your identity. You can now get your electronic card.',
  },
  'review.rejectedTitle': { zh: '人工审核未通过', en: 'Staff could not confirm your identity' },
  'review.rejectedReason': { zh: '审核说明：{reason}', en: 'What staff said: {reason}' },
  'review.rejectedNext': {
    zh: '您可以重新进行人脸核验，或携带居民身份证到户籍所在地派出所办理。',
    en: 'You can take the face check again, or bring your ID card to your local police station.',
  },
  'review.retry': { zh: '重新进行人脸核验', en: 'Take the face check again' },
  'home.cardStatus': { zh: '证照状态：{status}', en: 'Card status: {status}' },
  'home.noCard': { zh: '尚未领取电子证照', en: 'No card on this phone yet' },
  'home.myCard': { zh: '我的证照', en: 'My card' },
  'home.myCardHint': { zh: '查看证照正反面', en: 'See both sides' },
  'home.bright': { zh: '亮证', en: 'Show card' },
  'home.brightHint': { zh: '出示二维码供核验', en: 'Show a QR code to be checked' },
  'home.usage': { zh: '使用记录', en: 'Usage records' },
  'home.usageHint': { zh: '谁在何时查看了您的信息', en: 'Who saw your data, and when' },
  'home.licences': { zh: '电子证照夹', en: 'Licence wallet' },
  'home.licencesHint': { zh: '驾驶证、行驶证、户口簿等', en: 'Driving licence, vehicle, household…' },
  'home.calls': { zh: '窗口调证', en: 'Document requests' },
  'home.callsHint': { zh: '扫窗口的码，授权调取证照', en: 'Scan a window’s code to share documents' },
  'home.parties': { zh: '第三方授权', en: 'Third-party consents' },
  'home.partiesHint': { zh: '谁持有您的信息，随时撤回', en: 'Who holds your data; withdraw any time' },
  'home.manage': { zh: '证照管理', en: 'Manage card' },
  'home.manageHint': { zh: '挂失、恢复、换手机、注销', en: 'Lost phone, resume, new phone, close' },
  'home.privacy': { zh: '隐私与授权', en: 'Privacy & consent' },
  'home.privacyHint': { zh: '查看告知，撤回同意', en: 'Read the notice, withdraw consent' },

  'status.active': { zh: '正常', en: 'Active' },
  'status.suspended': { zh: '已暂停（挂失）', en: 'Suspended (reported lost)' },
  'status.revoked': { zh: '已注销', en: 'Revoked' },

  'card.longTerm': { zh: '长期', en: 'No expiry' },
  'card.sexM': { zh: '男', en: 'Male' },
  'card.sexF': { zh: '女', en: 'Female' },
  'card.sexUnknown': { zh: '未知的性别', en: 'Unknown' },
  'card.sexUnstated': { zh: '未说明的性别', en: 'Not stated' },
  'common.yes': { zh: '是', en: 'Yes' },
  'common.no': { zh: '否', en: 'No' },

  'usage.actor.resident': { zh: '本人', en: 'Me' },

  'action.verify': { zh: '核验证照', en: 'Checked your card' },
  'action.reveal': { zh: '查看完整号码', en: 'Viewed your full ID number' },
  'action.issue': { zh: '领取电子证照', en: 'Card issued' },
  'action.renew': { zh: '更新电子证照', en: 'Card renewed' },
  'action.moved': { zh: '身份转到新账户', en: 'Identity moved to a new account' },
  'action.suspend': { zh: '暂停证照', en: 'Card suspended' },
  'action.resume': { zh: '恢复证照', en: 'Card resumed' },
  'action.revoke': { zh: '注销证照', en: 'Card revoked' },
  'action.portrait': { zh: '读取证件照', en: 'Read your ID photo' },
  'action.view': { zh: '查看证照信息', en: 'Viewed your card' },
  'action.realName': { zh: '实名核对', en: 'Identity check' },
  'action.realPerson': { zh: '人脸核验', en: 'Face check' },
  'action.reauth': { zh: '人脸确认本人', en: 'Face re-confirmation' },
  'action.consent': { zh: '同意告知', en: 'Consent given' },
  'action.withdraw': { zh: '撤回同意', en: 'Consent withdrawn' },
  'action.account': { zh: '账户变更', en: 'Account change' },
  'action.other': { zh: '使用了您的信息', en: 'Used your data' },
  'action.moveOut': { zh: '户籍迁出，本省证照注销', en: 'Moved away; the card here was revoked' },
  'action.staffLookup': { zh: '民警查询了您的信息', en: 'Police staff looked you up' },
  'action.staffReveal': { zh: '民警查看了您的完整信息', en: 'Police staff viewed your data in full' },
  'action.staffDeferred': {
    zh: '依法暂缓告知的查询（现已告知）',
    en: 'A lookup whose disclosure was lawfully deferred (now shown)',
  },
  'action.review': { zh: '人工审核您的认证', en: 'Staff review of your enrolment' },
  'action.moveIn': { zh: '户籍迁入，原证照已注销', en: 'Moved here; the former card was revoked' },

  'field.name': { zh: '姓名', en: 'Name' },
  'field.sex': { zh: '性别', en: 'Sex' },
  'field.ethnicity': { zh: '民族', en: 'Ethnicity' },
  'field.birthDate': { zh: '出生日期', en: 'Date of birth' },
  'field.address': { zh: '住址', en: 'Address' },
  'field.idNumber': { zh: '完整身份号码', en: 'Full ID number' },
  'field.idNumberMasked': { zh: '部分隐藏的身份号码', en: 'Partly hidden ID number' },
  'field.portrait': { zh: '证件照', en: 'ID photo' },
  'field.issuingAuthority': { zh: '签发机关', en: 'Issuing authority' },
  'field.validity': { zh: '有效期限', en: 'Validity' },
  'field.validFrom': { zh: '有效期起', en: 'Valid from' },
  'field.validUntil': { zh: '有效期至', en: 'Valid until' },
  'field.cardStatus': { zh: '证照状态', en: 'Card status' },
  'field.residenceProvince': { zh: '居住省份', en: 'Province of residence' },
  'field.ageOver14': { zh: '已满14周岁', en: 'Over 14' },
  'field.ageOver16': { zh: '已满16周岁', en: 'Over 16' },
  'field.ageOver18': { zh: '已满18周岁', en: 'Over 18' },
  'field.ageOver60': { zh: '已满60周岁', en: 'Over 60' },
  'field.other': { zh: '其他信息', en: 'Other data' },

  'purpose.unknown': { zh: '其他事由', en: 'Other purpose' },
  'purpose.enrollment': { zh: '申领电子证照', en: 'Getting your card' },
  'purpose.self': { zh: '本人使用', en: 'Your own use' },
  'purpose.card': { zh: '电子证照服务', en: 'Your electronic card' },
  'purpose.account': { zh: '账户管理', en: 'Your account' },

  'verdict.unknown_issuer.hint': {
    zh: '签发机关不在信任名单中，请查验实体身份证。',
    en: 'The issuer is not on the trust list. Check the physical ID card instead.',
  },
} as const satisfies Messages;

export type MessageKey = keyof typeof MESSAGES;

/** A sentence in both languages. */
export interface Text {
  zh: string;
  en: string;
}

/** Sentences by key. */
export type Messages = Record<string, Text>;
