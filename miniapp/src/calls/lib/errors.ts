import { asAppError } from '../../lib/errors';

/**
 * The stable code of a failure as text, for the codes this page knows before this build's list of codes
 * does (a newer BFF); undefined for a failure without one.
 */
export function codeOf(err: unknown): string | undefined {
  return err === undefined ? undefined : asAppError(err).code;
}
