import { sha256 } from '../crypto';
import { utf8Encode } from '../encoding';
import type { SignInCodeParts } from './request-code';

/**
 * The control code (docs/formats/signin.md), as Estonia's Smart-ID shows one: four digits the desktop
 * sign-in page and the phone both show for one sign-in, so that a resident who scanned a relayed request
 * notices the difference. Both sides compute it from the request code itself, the phone from what it
 * scanned and the page from what it displays:
 *
 *   controlCode = (first four bytes of SHA-256("eid-signin-control-v1" || 0x00 || id || 0x00 || secret),
 *                  big-endian) mod 10000, four digits with leading zeros.
 *
 * Four bytes, not Smart-ID's two: 65536 mod 10000 would make 0000-5535 come up 7/6 as often as the rest, so
 * among the three choices the real code would lean low while the decoys do not; with 2^32 the skew is < 3e-6.
 *
 * The phone shows it among two decoys (controlCodeChoices); the resident taps the one the desktop shows,
 * and a wrong tap ends the sign-in (SIGNIN_CONTROL_CODE_MISMATCH).
 */
export function controlCodeOf(parts: SignInCodeParts): string {
  const digest = sha256(utf8Encode(`eid-signin-control-v1\u0000${parts.id}\u0000${parts.secret}`));
  const n = new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % 10000;
  return n.toString().padStart(4, '0');
}

/**
 * The three choices the phone offers: the control code and two different decoys, in an order that does
 * not give the answer away. `random` returns a uniform integer in [0, n).
 */
export function controlCodeChoices(controlCode: string, random: (n: number) => number): string[] {
  const choices = [controlCode];
  while (choices.length < 3) {
    const decoy = random(10000).toString().padStart(4, '0');
    if (!choices.includes(decoy)) choices.push(decoy);
  }
  for (let i = choices.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [choices[i], choices[j]] = [choices[j]!, choices[i]!];
  }
  return choices;
}

export const CONTROL_CODE = /^[0-9]{4}$/;
