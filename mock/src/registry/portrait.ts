import { createHash } from 'node:crypto';
import { encodePng, type Rgb } from '../lib/png';

/*
 * Synthetic ID-photo stand-ins: a head-and-shoulders silhouette on the white background of Chinese ID
 * photos, colours taken from a hash of the ref. No face is drawn, real or generated.
 */

const WIDTH = 102;
const HEIGHT = 126;
const WHITE: Rgb = [255, 255, 255];
const SKIN_TONES: Rgb[] = [
  [241, 204, 170],
  [224, 182, 145],
  [198, 150, 112],
  [170, 122, 88],
];

function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}

/** A deterministic PNG portrait for `ref`: the same ref always gives the same bytes. */
export function portraitPng(ref: string): Uint8Array {
  const h = createHash('sha256').update(`portrait:${ref}`).digest();
  const skin = SKIN_TONES[h[0]! % SKIN_TONES.length]!;
  const shade = 20 + (h[1]! % 50);
  const hair: Rgb = [shade, Math.max(0, shade - 5), shade];
  const clothes: Rgb = [40 + (h[2]! % 150), 40 + (h[3]! % 150), 60 + (h[4]! % 150)];
  const headRx = 20 + (h[5]! % 5);
  const headRy = 26 + (h[6]! % 5);
  return encodePng(WIDTH, HEIGHT, (x, y) => {
    if (inEllipse(x, y, 51, 150, 50, 44)) return clothes;
    if (x >= 43 && x <= 59 && y >= 70 && y <= 110) return skin;
    if (inEllipse(x, y, 51, 52, headRx, headRy)) return y < 52 - headRy * 0.45 ? hair : skin;
    if (inEllipse(x, y, 51, 46, headRx + 3, headRy + 1) && y < 54) return hair;
    return WHITE;
  });
}
