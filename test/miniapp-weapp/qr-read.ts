import { createRequire } from 'node:module';
import QRCode from 'qrcode';

/**
 * Reads back the text of a QR code from the rectangles a page painted on its canvas, so a test can check
 * what the weapp bundle drew rather than what Node would draw. The picture is exact (no camera), so no
 * error correction is needed: the modules are unmasked and the data codewords read and de-interleaved
 * (ISO/IEC 18004 §7.7, §8.8), using the tables of the `qrcode` package, another implementation than the
 * bundle's qrcode-generator.
 */

const load = createRequire(__filename);
type Level = { bit: number };
const LEVEL = load('qrcode/lib/core/error-correction-level') as Record<'L' | 'M' | 'Q' | 'H', Level>;
const ecc = load('qrcode/lib/core/error-correction-code') as {
  getBlocksCount(version: number, level: Level): number;
  getTotalCodewordsCount(version: number, level: Level): number;
};
const masks = load('qrcode/lib/core/mask-pattern') as {
  applyMask(pattern: number, matrix: QRCode.BitMatrix): void;
};
const utils = load('qrcode/lib/core/utils') as { getSymbolTotalCodewords(version: number): number };

const QUIET = 4;
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/**
 * The dark modules of the last code painted: the page first fills the whole canvas (its background),
 * then one square, a hair larger than a cell, per dark module, with a four-module quiet zone.
 */
export function modulesFromPainting(painted: number[][], canvasWidth: number): boolean[][] {
  let start = painted.length - 1;
  while (start >= 0 && painted[start]!.join() !== [0, 0, canvasWidth, canvasWidth].join()) start -= 1;
  if (start < 0) throw new Error('no code was painted');
  const squares = painted.slice(start + 1);
  if (squares.length === 0) throw new Error('the painted code has no dark modules');
  const cell = squares[0]![2]! - 0.5;
  const size = Math.round(canvasWidth / cell) - 2 * QUIET;
  const matrix = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  for (const [x, y] of squares) matrix[Math.round(y! / cell) - QUIET]![Math.round(x! / cell) - QUIET] = true;
  return matrix;
}

/** The text of an error-correction-level M code (what the mini-program draws), from its modules. */
export function readQr(matrix: boolean[][], level: keyof typeof LEVEL = 'M'): string {
  const size = matrix.length;
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || version < 1 || version > 40)
    throw new Error(`no QR code is ${size} wide`);
  const painted = Uint8Array.from(matrix.flat(), (dark) => (dark ? 1 : 0));
  // The mask is the one whose function patterns and format bits match the picture in every module.
  let symbol: QRCode.BitMatrix | undefined;
  for (let mask = 0; mask < 8 && !symbol; mask += 1) {
    const reference = QRCode.create('0', {
      version,
      errorCorrectionLevel: level,
      maskPattern: mask as 0,
    }).modules;
    const fits = painted.every((bit, i) => !reference.reservedBit[i] || reference.data[i] === bit);
    if (fits) {
      reference.data.set(painted);
      masks.applyMask(mask, reference);
      symbol = reference;
    }
  }
  if (!symbol) throw new Error(`the picture is not a version ${version} level ${level} QR code`);

  // Data bits run in two-module columns from the bottom right, up and down in turn, skipping column 6.
  const bits: number[] = [];
  let row = size - 1;
  let step = -1;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col -= 1;
    for (;;) {
      for (let c = 0; c < 2; c += 1) {
        if (!symbol.isReserved(row, col - c)) bits.push(symbol.get(row, col - c) ? 1 : 0);
      }
      row += step;
      if (row < 0 || row >= size) {
        row -= step;
        step = -step;
        break;
      }
    }
  }
  const codewords = Array.from({ length: utils.getSymbolTotalCodewords(version) }, (_, i) =>
    bits.slice(i * 8, i * 8 + 8).reduce((byte, bit) => (byte << 1) | bit, 0),
  );

  // Codewords are interleaved across blocks; the later blocks hold one data codeword more.
  const total = codewords.length;
  const dataTotal = total - ecc.getTotalCodewordsCount(version, LEVEL[level]);
  const blocks = ecc.getBlocksCount(version, LEVEL[level]);
  const longBlocks = total % blocks;
  const shortData = Math.floor(dataTotal / blocks);
  const lengths = Array.from({ length: blocks }, (_, b) => shortData + (b >= blocks - longBlocks ? 1 : 0));
  const perBlock = lengths.map(() => [] as number[]);
  let next = 0;
  for (let i = 0; i <= shortData; i += 1) {
    for (let b = 0; b < blocks; b += 1) if (i < lengths[b]!) perBlock[b]!.push(codewords[next++]!);
  }
  const data = perBlock.flat().flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (byte >> i) & 1));

  let at = 0;
  const take = (n: number) => {
    let value = 0;
    for (let i = 0; i < n; i += 1) value = (value << 1) | (data[at++] ?? 0);
    return value;
  };
  let text = '';
  while (at + 4 <= data.length) {
    const mode = take(4);
    if (mode === 0b0000) break;
    if (mode === 0b0010) {
      let count = take(version < 10 ? 9 : version < 27 ? 11 : 13);
      for (; count >= 2; count -= 2) {
        const pair = take(11);
        text += ALPHANUMERIC[Math.floor(pair / 45)]! + ALPHANUMERIC[pair % 45]!;
      }
      if (count === 1) text += ALPHANUMERIC[take(6)]!;
    } else if (mode === 0b0100) {
      const count = take(version < 10 ? 8 : 16);
      text += new TextDecoder().decode(Uint8Array.from({ length: count }, () => take(8)));
    } else {
      throw new Error(`QR mode ${mode.toString(2)} is not one the mini-program writes`);
    }
  }
  return text;
}

/**
 * The text of the first code the page paints after `from` rectangles, waiting for it: the page paints after
 * a render and a canvas query, which on a loaded machine take longer than any fixed pause, and reading too
 * early would return an earlier page's code.
 */
export async function paintedCodeAfter(
  canvas: { painted: number[][]; width: number },
  from: number,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = canvas.painted.slice(from);
    if (fresh.length > 1) {
      try {
        return readQr(modulesFromPainting(fresh, canvas.width));
      } catch {
        // Not painted completely yet: look again.
      }
    }
    if (Date.now() > deadline) throw new Error(`no code was painted within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
