/**
 * The e-ID passcode (issue 17, level 2): 6 to 8 digits the resident chooses. Refused when trivially guessed:
 * one digit repeated, or a run that goes up or down by one (123456, 876543).
 */
export const PASSCODE_PATTERN = /^[0-9]{6,8}$/;

export type PasscodeProblem = 'format' | 'repeated' | 'sequence';

/** Why `passcode` cannot be chosen, or undefined when it can. */
export function passcodeProblem(passcode: unknown): PasscodeProblem | undefined {
  if (typeof passcode !== 'string' || !PASSCODE_PATTERN.test(passcode)) return 'format';
  const digits = [...passcode].map(Number);
  if (digits.every((d) => d === digits[0])) return 'repeated';
  const steps = digits.slice(1).map((d, i) => d - digits[i]!);
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'sequence';
  return undefined;
}
