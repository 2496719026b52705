import { createHash } from 'node:crypto';
import { encodePng } from '../lib/png';

/**
 * A stand-in for a camera frame: a PNG of about 7 KB whose bytes depend only on `label`. Use a fresh
 * label for every capture, since the face stand-in treats the same bytes seen twice as a replayed photo.
 *
 * @example await fetch(`${face.url}/v1/capture`, { method: 'POST', body: JSON.stringify({ verifyId, image: syntheticCapture('t1') }) })
 */
export function syntheticCaptureBytes(label: string): Uint8Array {
  const seed = createHash('sha256').update(`capture:${label}`).digest();
  let state = seed.readUInt32BE(0) || 1;
  // xorshift noise does not compress, which keeps the image above the quality threshold.
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 0xff;
  };
  return encodePng(48, 48, () => [next(), next(), next()]);
}

/** syntheticCaptureBytes as the base64 string `POST /v1/capture` takes. */
export function syntheticCapture(label: string): string {
  return Buffer.from(syntheticCaptureBytes(label)).toString('base64');
}

/** A valid but tiny PNG (well under 1 KB) that the face stand-in rejects as poor quality. */
export function tinyCapture(): string {
  return Buffer.from(encodePng(8, 8, () => [128, 128, 128])).toString('base64');
}
