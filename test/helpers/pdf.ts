import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/**
 * Reading a PDF back the way a filing clerk's tools and a verifier would: its text and words with poppler's
 * pdftotext, its metadata with pdfinfo and pdffonts, its page rasterised by pdftoppm and the QR codes on it
 * decoded by ZXing (the mini-program scanner's own decoder, its wasm read from disk: no network). Poppler
 * comes from Debian's poppler-utils (.ci/run installs it).
 */

const run = promisify(execFile);

/** A temporary folder for the PDFs (and page images) of one suite. */
export interface PdfScratch {
  dir: string;
  /** Writes the bytes to a new file in the folder and returns its path. */
  save(pdf: Uint8Array, name?: string): string;
  remove(): void;
}

/** @example const scratch = pdfScratch('eid-copy-'); ... afterAll(() => scratch.remove()); */
export function pdfScratch(prefix: string): PdfScratch {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  let files = 0;
  return {
    dir,
    save(pdf, name = `copy-${++files}`) {
      const file = path.join(dir, `${name}.pdf`);
      writeFileSync(file, pdf);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The text pdftotext extracts (UTF-8), of one page or all; `layout` keeps the columns of a row together. */
export async function pdfText(file: string, options: { page?: number; layout?: boolean } = {}) {
  const pages = options.page ? ['-f', String(options.page), '-l', String(options.page)] : [];
  const layout = options.layout ? ['-layout'] : [];
  return (await run('pdftotext', ['-enc', 'UTF-8', ...layout, ...pages, file, '-'])).stdout;
}

/** The text without any white space: for phrases pdftotext may break across lines or space out. */
export const squeeze = (s: string) => s.replace(/\s+/g, '');

export interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word pdftotext finds, with its box in points from the page's top left. */
export async function pdfWords(file: string): Promise<PdfWord[]> {
  const html = (await run('pdftotext', ['-enc', 'UTF-8', '-bbox', file, '-'])).stdout;
  const words: PdfWord[] = [];
  html
    .split('<page ')
    .slice(1)
    .forEach((pageHtml, index) => {
      for (const m of pageHtml.matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
      )) {
        words.push({
          page: index + 1,
          xMin: Number(m[1]),
          yMin: Number(m[2]),
          xMax: Number(m[3]),
          yMax: Number(m[4]),
          text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
        });
      }
    });
  return words;
}

/** What pdfinfo prints (page size, page count, the info dictionary's Keywords and so on). */
export async function pdfInfo(file: string): Promise<string> {
  return (await run('pdfinfo', [file])).stdout;
}

export async function pdfPageCount(file: string): Promise<number> {
  return Number(/^Pages:\s+(\d+)/m.exec(await pdfInfo(file))![1]);
}

/** pdffonts' rows, one per font: name, type, encoding, embedded, subset, unicode map. */
export async function pdfFonts(file: string): Promise<string[]> {
  return (await run('pdffonts', [file])).stdout.split('\n').slice(2).filter(Boolean);
}

/** One page rendered as a PNG by pdftoppm (150 dpi by default, as a scanned paper copy would be). */
export async function renderPage(
  file: string,
  options: { page?: number; dpi?: number } = {},
): Promise<Uint8Array> {
  const { page = 1, dpi = 150 } = options;
  const prefix = `${file.replace(/\.pdf$/, '')}-p${page}-${dpi}`;
  const p = String(page);
  await run('pdftoppm', ['-r', String(dpi), '-png', '-f', p, '-l', p, '-singlefile', file, prefix]);
  return new Uint8Array(readFileSync(`${prefix}.png`));
}

let zxing: Promise<unknown> | undefined;

/** The texts of the QR codes ZXing finds in an image, in its order. */
export async function decodeQrCodes(image: Uint8Array): Promise<string[]> {
  zxing ??= (() => {
    const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    return prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
      fireImmediately: true,
    });
  })();
  await zxing;
  return (await readBarcodes(image, { formats: ['QRCode'] })).map((r) => r.text);
}

/** The QR codes printed on one page of a PDF, read from the rendered page. */
export async function pdfQrCodes(file: string, options: { page?: number; dpi?: number } = {}) {
  return decodeQrCodes(await renderPage(file, options));
}
