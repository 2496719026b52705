/**
 * The one error vocabulary of the product. The BFF answers `{ code, message, requestId }` with a code
 * from this list; the mini-program and third parties switch on the code, never on the message text.
 * Codes are stable: add new ones, never rename or reuse one.
 */
export const ERROR_CODES = {
  // generic request problems
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  INTERNAL: 500,
  NOT_READY: 503,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 503,
  // sessions
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  LOGIN_CODE_INVALID: 401,
  CREDENTIALS_INVALID: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  SESSION_REVOKED: 401,
  // the staff second factor (modules/staff, TOTP)
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  TOTP_ENROLMENT_REQUIRED: 403,
  TOTP_ALREADY_ENROLLED: 409,
  // staff sign-in throttling (NIST SP 800-63B §5.2.2; modules/staff/sign-in-throttle.ts)
  STAFF_SIGN_IN_DELAYED: 429,
  STAFF_ACCOUNT_LOCKED: 429,
  // consent and enrollment
  CONSENT_REQUIRED: 403,
  CONSENT_VERSION_MISMATCH: 409,
  ENROLLMENT_OUT_OF_ORDER: 409,
  ATTEMPTS_EXHAUSTED: 429,
  // ID number rules
  ID_NUMBER_INVALID_FORMAT: 400,
  ID_NUMBER_LEGACY_15: 400,
  ID_NUMBER_BAD_REGION: 400,
  ID_NUMBER_BAD_BIRTH_DATE: 400,
  ID_NUMBER_BAD_CHECK_DIGIT: 400,
  // real-name (population registry)
  REAL_NAME_MISMATCH: 422,
  REAL_NAME_NOT_FOUND: 422,
  REAL_NAME_CARD_CANCELLED: 422,
  REAL_NAME_DECEASED: 422,
  REAL_NAME_CARD_EXPIRED: 422,
  // real-person (face verification)
  FACE_VERIFY_ID_INVALID: 400,
  FACE_NOT_COMPLETED: 409,
  FACE_LIVENESS_FAILED: 422,
  FACE_LOW_SIMILARITY: 422,
  FACE_POOR_QUALITY: 422,
  // the enrolment review queue (issue 19 §3)
  REVIEW_NOT_FOUND: 404,
  REVIEW_ALREADY_DECIDED: 409,
  // the card
  CARD_NOT_ELIGIBLE: 409,
  CARD_NOT_FOUND: 404,
  CARD_SUSPENDED: 409,
  CARD_REVOKED: 409,
  CARD_NOT_SUSPENDED: 409,
  CARD_SUSPENDED_BY_STAFF: 409,
  DEVICE_KEY_INVALID: 400,
  REAUTH_REQUIRED: 403,
  CODE_MALFORMED: 400,
  PURPOSE_UNKNOWN: 400,
  ISSUER_UNKNOWN: 404,
  // the offline staff terminal (thrown on the device, never answered by the BFF)
  OFFLINE_QUEUE_FULL: 409,
  OFFLINE_LISTS_INVALID: 422,
  // electronic licences (shared/src/licence; details.reason says which part failed)
  LICENCE_ID_INVALID: 400,
  USCC_INVALID: 400,
  // the licence wallet (modules/licence)
  LICENCE_SYSTEM_UNAVAILABLE: 503,
  LICENCE_TYPE_UNKNOWN: 400,
  LICENCE_NOT_LINKED: 404,
  // the document call (modules/document-call)
  DOCUMENT_SERVICE_UNKNOWN: 400,
  DOCUMENT_CALL_OVERREACH: 400,
  DOCUMENT_ADDRESSEE_INVALID: 400,
  DOCUMENT_REQUEST_INVALID: 400,
  DOCUMENT_REQUEST_EXPIRED: 410,
  DOCUMENT_ACCESS_EXPIRED: 410,
  DOCUMENT_CALL_WRONG_STATE: 409,
  // relying parties' signed requests (RFC 9421; modules/party), one code per reason of verifyRequest
  SIGNATURE_MISSING: 401,
  SIGNATURE_MALFORMED: 401,
  SIGNATURE_UNKNOWN_KEY: 401,
  SIGNATURE_RETIRED_KEY: 401,
  SIGNATURE_INVALID: 401,
  SIGNATURE_STALE: 401,
  SIGNATURE_COMPONENT_MISSING: 401,
  SIGNATURE_NONCE_MISSING: 401,
  SIGNATURE_NONCE_REUSED: 401,
  CONTENT_DIGEST_MISMATCH: 400,
  // relying parties: registration, limits, what they may ask
  PARTY_SUSPENDED: 403,
  PARTY_RATE_LIMITED: 429,
  PARTY_QUOTA_EXCEEDED: 429,
  PARTY_PURPOSE_NOT_REGISTERED: 403,
  PARTY_SCOPE_NOT_REGISTERED: 403,
  PARTY_GRANT_INVALID: 400,
  PARTY_KEY_CONFLICT: 409,
  PARTY_KEY_LIMIT: 409,
  CALLBACK_URL_REFUSED: 400,
  // consent requests (modules/consent)
  CONSENT_REQUEST_INVALID: 400,
  CONSENT_REQUEST_EXPIRED: 410,
  CONSENT_WRONG_STATE: 409,
  // remote sign-in (modules/oidc, modules/signin, modules/passcode)
  PARTY_SIGNIN_INVALID: 400,
  SIGNIN_CODE_INVALID: 400,
  SIGNIN_EXPIRED: 410,
  SIGNIN_WRONG_STATE: 409,
  SIGNIN_CONTROL_CODE_MISMATCH: 409,
  SIGNIN_LEVEL_NOT_MET: 403,
  DEVICE_SIGNATURE_INVALID: 403,
  PASSCODE_NOT_SET: 409,
  PASSCODE_WEAK: 400,
  PASSCODE_WRONG: 403,
  PASSCODE_PAUSED: 429,
  // the federation of province nodes (modules/federation, national/)
  FEDERATION_NOT_CONFIGURED: 404,
  FEDERATION_CHECKPOINT_INVALID: 400,
  FEDERATION_INCONSISTENT: 409,
  FEDERATION_BUNDLE_INVALID: 400,
  FEDERATION_SPLIT_VIEW: 409,
  // the audit's checkpoints of usage-chain heads, at their cosigner (modules/audit)
  AUDIT_CHECKPOINT_INVALID: 400,
  AUDIT_CHECKPOINT_INCONSISTENT: 409,
  NODE_SIGNATURE_INVALID: 401,
  NODE_KEY_UNKNOWN: 403,
  NATIONAL_SUBMISSION_INVALID: 400,
  NATIONAL_SUBMISSION_WRONG_STATE: 409,
  NATIONAL_KEY_UNKNOWN: 404,
  NATIONAL_QUORUM_NOT_REACHED: 503,
  MOVE_PROOF_INVALID: 400,
  // staff lookups of residents and their accountability (modules/oversight)
  LOOKUP_EXPIRED: 410,
  DEFERRAL_TOO_LONG: 422,
  DISCLOSURE_ALREADY_SHOWN: 409,
  QUESTION_NOT_STAFF_ACCESS: 422,
  QUESTION_ALREADY_OPEN: 409,
  QUESTION_ALREADY_ANSWERED: 409,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` is one of the known codes (for parsing answers from the BFF). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * The one error type. `expose` follows Koa's convention: messages of 4xx errors are safe to show,
 * 5xx messages are replaced by a generic sentence before they leave the BFF.
 *
 * @example throw new AppError('ATTEMPTS_EXHAUSTED', 'Too many face attempts today', { remaining: 0, unlockAt })
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  /** Extra machine-readable facts for the client (never personal data). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, status?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status ?? ERROR_CODES[code];
    this.expose = this.status < 500;
    if (details) this.details = details;
  }
}

/**
 * The stable code of an error, or undefined when it carries none of ours (a driver error, a bug). For
 * the catch blocks that record or log why something failed without rethrowing it.
 * @example detail: { error: errorCodeOf(err) ?? 'INTERNAL' }
 */
export function errorCodeOf(err: unknown): ErrorCode | undefined {
  if (err instanceof AppError) return err.code;
  // An AppError from another copy of this module (a second bundle) is still one of ours by its code.
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return isErrorCode(code) ? code : undefined;
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}
