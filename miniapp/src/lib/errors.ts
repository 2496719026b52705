import { AppError, type ErrorCode } from '@eid/shared';
import type { MessageKey, Params } from '../i18n';
import { MESSAGES } from '../i18n/messages';
import { formatDateTime } from './format';
import type { Lang } from '../i18n';

// Codes whose plain-language sentence is shared with another code.
const ALIASES: Partial<Record<ErrorCode, MessageKey>> = {
  UNAUTHENTICATED: 'error.signInAgain',
  TOKEN_EXPIRED: 'error.signInAgain',
  TOKEN_INVALID: 'error.signInAgain',
  SESSION_REVOKED: 'signout.revoked',
  REFRESH_TOKEN_REUSED: 'signout.revoked',
  REFRESH_TOKEN_INVALID: 'error.signInAgain',
  ISSUER_UNKNOWN: 'verdict.unknown_issuer.hint',
  CONFLICT: 'error.generic',
  INTERNAL: 'error.generic',
  BAD_REQUEST: 'error.generic',
};

/** Anything thrown, as the AppError the UI switches on (unknown failures become INTERNAL). */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('INTERNAL', 'Unexpected failure');
}

type Translate = (key: MessageKey, params?: Params) => string;

/**
 * The sentence a resident reads for a failure: chosen by the stable code, never the server's message,
 * with the remaining attempts or the unlock time when the BFF sent them.
 */
export function describeError(err: unknown, t: Translate, lang: Lang): string {
  const e = asAppError(err);
  const details = e.details ?? {};
  if (e.code === 'ATTEMPTS_EXHAUSTED') {
    const unlockAt = typeof details.unlockAt === 'number' ? details.unlockAt : null;
    return unlockAt
      ? t('error.ATTEMPTS_EXHAUSTED', { time: formatDateTime(unlockAt, lang) })
      : t('error.ATTEMPTS_EXHAUSTED.today');
  }
  // The passcode's refusals carry the tries left, the end of a pause, or why a choice is too weak.
  if (e.code === 'PASSCODE_WRONG' && typeof details.triesLeft === 'number' && details.triesLeft > 0)
    return details.triesLeft === 1
      ? t('error.PASSCODE_WRONG.lastTry')
      : t('error.PASSCODE_WRONG.triesLeft', { n: details.triesLeft });
  if (e.code === 'PASSCODE_PAUSED' && typeof details.pausedUntil === 'number')
    return t('error.PASSCODE_PAUSED.until', { time: formatDateTime(details.pausedUntil, lang) });
  if (e.code === 'PASSCODE_WEAK' && (details.reason === 'repeated' || details.reason === 'sequence'))
    return t(`error.PASSCODE_WEAK.${details.reason}`);
  if (e.code === 'SIGNIN_LEVEL_NOT_MET' && details.missing === 'face')
    return t('error.SIGNIN_LEVEL_NOT_MET.face');
  // A proof of the device key signed too far from the server's time: the phone's clock is off.
  if (e.code === 'DEVICE_KEY_INVALID' && details.reason === 'clock')
    return t('error.DEVICE_KEY_INVALID.clock');
  const own = `error.${e.code}`;
  const key: MessageKey = ALIASES[e.code] ?? (own in MESSAGES ? (own as MessageKey) : 'error.generic');
  const sentence = t(key);
  const remaining = details.remaining;
  if (typeof remaining === 'number' && remaining > 0)
    return `${sentence} ${t('error.attemptsLeft', { n: remaining })}`;
  return sentence;
}
