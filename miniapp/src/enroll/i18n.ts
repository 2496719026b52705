import { withMessages, type Messages } from '../i18n';

/** The sentences of the real-name and face-check pages; they travel in this subpackage, not in the main package. */
export const ENROLL_MESSAGES = {
  'steps.label': { zh: '第 {n} 步，共 {total} 步', en: 'Step {n} of {total}' },

  'realName.title': { zh: '实名认证', en: 'Confirm your identity' },
  'realName.lead': {
    zh: '请填写与居民身份证一致的姓名和号码，我们将向公安人口信息系统核对。',
    en: 'Enter your name and ID number exactly as on your ID card. We check them with the population registry.',
  },
  'realName.name': { zh: '姓名', en: 'Full name' },
  'realName.namePlaceholder': { zh: '与身份证一致', en: 'As on your ID card' },
  'realName.idNumber': { zh: '公民身份号码', en: 'ID number' },
  'realName.idPlaceholder': { zh: '18 位，最后一位可能是 X', en: '18 characters; the last may be X' },
  'realName.submit': { zh: '提交核对', en: 'Check my details' },
  'realName.checking': { zh: '正在核对…', en: 'Checking…' },
  'realName.privacy': {
    zh: '号码加密保存，仅用于签发和核验您的电子证照。',
    en: 'Your number is stored encrypted and used only to issue and check your card.',
  },

  'validation.nameRequired': { zh: '请填写姓名。', en: 'Please enter your name.' },
  'validation.nameInvalid': {
    zh: '姓名只能包含汉字、字母、间隔号“·”和空格。',
    en: 'A name may contain Chinese characters, letters, the middle dot “·” and spaces.',
  },
  'validation.nameTooLong': { zh: '姓名过长，请核对。', en: 'This name is too long. Please check it.' },
  'validation.idRequired': { zh: '请填写身份证号码。', en: 'Please enter your ID number.' },

  'realPerson.title': { zh: '人脸核验', en: 'Face check' },
  'realPerson.lead': {
    zh: '请本人正对手机拍摄一张照片，我们会与公安机关留存的证件照比对。照片只用于本次核验，不会保存。',
    en: 'Take a photo of yourself facing the phone. We compare it with your ID photo on record. The photo is used only for this check and is not kept.',
  },
  'realPerson.passed': {
    zh: '认证完成！您现在可以领取电子证照。',
    en: 'All checks passed! You can now get your electronic card.',
  },
  'realPerson.toCard': { zh: '领取我的电子证照', en: 'Get my electronic card' },
} as const satisfies Messages;

/** `useI18n` and `useTitle` for this subpackage: its own sentences and the main package's. */
export const { useI18n, useTitle } = withMessages(ENROLL_MESSAGES);

export type MessageKey = Parameters<typeof useTitle>[0];
