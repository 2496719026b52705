/** One language of the privacy notice, as `GET /api/v1/privacy-notice` serves it. */
export interface NoticeText {
  title: string;
  summary: string;
  controller: string;
  purposes: string[];
  dataKept: { item: string; why: string; retention: string }[];
  neverKept: string[];
  sharedWith: string[];
  rights: string[];
  withdrawal: string;
  contact: string;
}

/** The versioned privacy notice a resident consents to (published by bff/src/modules/enrollment/privacy-notice.ts). */
export interface PrivacyNotice {
  version: string;
  /** Epoch ms. */
  publishedAt: number;
  zh: NoticeText;
  en: NoticeText;
}
