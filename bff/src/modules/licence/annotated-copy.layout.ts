/**
 * How an annotated copy (加注件) is laid out on A4: the measures, and the drawing steps that
 * annotated-copy.ts composes (a two-column field table, the QR code as vector squares, the diagonal
 * watermark and the footer). Everything here draws with the one embedded CJK font.
 */
import type { Font, Glyph } from 'fontkit';
import QRCode from 'qrcode';

export type Doc = PDFKit.PDFDocument;

/** A4 in points; margins leave the footer its own band below the content. */
export const PAGE = { width: 595.28, height: 841.89, margin: 48, footerHeight: 64 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** The lowest y the content may reach; below it is the footer band. */
export const CONTENT_BOTTOM = PAGE.height - PAGE.margin - PAGE.footerHeight;

const LABEL_WIDTH = 118;
const CELL_PAD = 5;
const TEXT_SIZE = 10.5;
const LABEL_EN_SIZE = 7;
const INK = '#1a1a1a';
const GREY = '#6b6b6b';
const RULE = '#c9c9c9';
const SEAL_RED = '#b3261e';

/** One row of a field table: a Chinese label, its English gloss, and the value. */
export interface Row {
  label: string;
  labelEn?: string;
  value: string;
}

/** The document title and its English subtitle; returns the y below them. */
export function drawTitle(doc: Doc, title: string, subtitle: string, width: number): number {
  const x = PAGE.margin;
  doc.fillColor(INK).fontSize(18).text(title, x, PAGE.margin, { width });
  doc
    .fillColor(GREY)
    .fontSize(8.5)
    .text(subtitle, x, doc.y + 2, { width });
  return doc.y + 10;
}

/** A section heading with a rule under it; returns the y below it. */
export function drawHeading(doc: Doc, text: string, y: number, width: number): number {
  const x = PAGE.margin;
  doc.fillColor(SEAL_RED).fontSize(11).text(text, x, y, { width, lineBreak: false });
  const below = y + doc.currentLineHeight(true) + 2;
  doc
    .moveTo(x, below)
    .lineTo(x + width, below)
    .lineWidth(0.8)
    .strokeColor(SEAL_RED)
    .stroke();
  return below + 4;
}

/**
 * Rows as a two-column table from `y`, values wrapped to the column. A row that does not fit above the
 * footer starts a new page; `onNewPage` says where the content resumes there. Returns the y below the table.
 */
export function drawRows(
  doc: Doc,
  rows: readonly Row[],
  y: number,
  width: number,
  onNewPage: () => number,
): number {
  const x = PAGE.margin;
  const valueX = x + LABEL_WIDTH + CELL_PAD;
  const valueWidth = width - LABEL_WIDTH - 2 * CELL_PAD;
  const labelWidth = LABEL_WIDTH - CELL_PAD;
  let top = y;
  for (const row of rows) {
    doc.fontSize(TEXT_SIZE);
    const label = measure(doc, row.label, labelWidth);
    const value = measure(doc, row.value, valueWidth);
    doc.fontSize(LABEL_EN_SIZE);
    const labelEn = row.labelEn ? measure(doc, row.labelEn, labelWidth) : undefined;
    const height = Math.max(label.height + (labelEn?.height ?? 0), value.height) + 2 * CELL_PAD;
    if (top + height > CONTENT_BOTTOM && top > PAGE.margin + 1) {
      doc.addPage();
      top = onNewPage();
    }
    const page = doc.page;
    doc.fillColor(INK).fontSize(TEXT_SIZE);
    put(doc, row.label, label, x, top + CELL_PAD);
    put(doc, row.value, value, valueX, top + CELL_PAD);
    // A value taller than a whole page flows on through pdfkit's own page breaks; follow it there.
    const bottom = doc.page === page ? top + height : doc.y + CELL_PAD;
    if (row.labelEn && labelEn && doc.page === page) {
      doc.fillColor(GREY).fontSize(LABEL_EN_SIZE);
      put(doc, row.labelEn, labelEn, x, top + CELL_PAD + label.height);
    }
    doc
      .moveTo(x, bottom)
      .lineTo(x + width, bottom)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    top = bottom;
  }
  return top;
}

/** How a text sits in a column: on one line (the usual case) or wrapped, and how tall it is. */
interface Fit {
  oneLine: boolean;
  width: number;
  height: number;
}

/** Measures at the current font size. A text that fits on one line is never wrapped, not even to measure it. */
function measure(doc: Doc, text: string, width: number): Fit {
  const oneLine = !text.includes('\n') && doc.widthOfString(text) <= width;
  const height = oneLine ? doc.currentLineHeight(true) : doc.heightOfString(text, { width });
  return { oneLine, width, height };
}

/** Draws a measured text: one line without pdfkit's line wrapper, which costs as much as the rest of a row. */
function put(doc: Doc, text: string, fit: Fit, x: number, y: number): void {
  if (fit.oneLine) doc.text(text, x, y, { lineBreak: false });
  else doc.text(text, x, y, { width: fit.width });
}

/**
 * The side in points of the QR code for `text`: at least 1.6 pt a module (about 3.3 px when the page is
 * rendered at 150 dpi, which a phone or zxing reads reliably), between 120 and 200 pt.
 */
export function qrSide(text: string): { side: number; modules: QRCode.BitMatrix } {
  // One byte-mode segment: the payload is base64url-like text, which only byte mode carries whole, and
  // asking qrcode to search for an optimal mix of segments took a quarter of the render.
  const { modules } = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
  const side = Math.min(200, Math.max(120, (modules.size + 8) * 1.6));
  return { side, modules };
}

/**
 * The QR code as filled squares (one rectangle per run of dark modules in a row), so it stays sharp at
 * any print resolution and needs no image codec. The quiet zone is four modules of the white page.
 */
export function drawQr(doc: Doc, modules: QRCode.BitMatrix, x: number, y: number, side: number): void {
  const n = modules.size;
  const unit = side / (n + 8);
  const runs: string[] = [];
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && modules.get(r, c)) c++;
      // A hair of overlap so no white seams show between neighbouring squares when rasterised.
      runs.push(`${start} ${r} ${c - start + 0.03} 1.03 re`);
    }
  }
  // In module units (one unit a module, origin at the symbol's corner), so each square is a few digits.
  doc.save();
  doc.translate(x + 4 * unit, y + 4 * unit).scale(unit);
  doc.addContent(runs.join('\n'));
  doc.fillColor('#000000').fill();
  doc.restore();
}

/** The caption under the QR code. */
export function drawQrCaption(doc: Doc, x: number, y: number, side: number, caption: string): number {
  doc.fillColor(GREY).fontSize(7.5).text(caption, x, y, { width: side, align: 'center' });
  return doc.y;
}

/**
 * The watermark repeated across the page on a diagonal, faint but over the content, so it cannot be
 * cropped away or covered by pasting over a field. It is drawn as glyph outlines in a tiling pattern,
 * not as text: rotated text interleaves with the fields when the page's text is extracted, and the
 * pattern holds the outlines once however many times they repeat. The footer carries the same words
 * as text. `pattern` is the document's one pattern (watermarkPattern), shared by its pages.
 */
export function drawWatermark(doc: Doc, pattern: PDFKit.PDFTilingPattern): void {
  const cx = PAGE.width / 2;
  const cy = PAGE.height / 2;
  // The rotated square must cover the page's corners: its half-diagonal is about 515 pt.
  const reach = 540;
  doc.save();
  doc.rotate(-30, { origin: [cx, cy] });
  doc.fillOpacity(0.14);
  doc.rect(cx - reach, cy - reach, 2 * reach, 2 * reach).fill([pattern, SEAL_RED]);
  doc.restore();
}

const WATERMARK_SIZE = 13;

/**
 * The tiling pattern of the watermark: one copy of the text per cell, the cells a text width plus a gap
 * apart along the line and 64 pt apart across it.
 */
export function watermarkPattern(doc: Doc, font: Font, text: string): PDFKit.PDFTilingPattern {
  const scale = WATERMARK_SIZE / font.unitsPerEm;
  const run = font.layout(text);
  const baseline = font.ascent * scale;
  const parts: string[] = [];
  let pen = 0;
  run.glyphs.forEach((glyph, i) => {
    const position = run.positions[i]!;
    const ops = glyphOps(font, glyph);
    if (ops) {
      const x = pen + position.xOffset * scale;
      const y = baseline - position.yOffset * scale;
      parts.push(`q 1 0 0 1 ${n(x)} ${n(y)} cm ${ops} f Q`);
    }
    pen += position.xAdvance * scale;
  });
  const stepX = pen + 60;
  const stepY = 64;
  return doc.pattern([0, 0, stepX, stepY], stepX, stepY, parts.join('\n'));
}

const outlines = new WeakMap<Font, Map<number, string>>();

/**
 * A glyph's outline at the watermark's size as PDF path operators, y down from its baseline origin;
 * kept per font and glyph, since every watermark draws the same few hundred characters.
 */
function glyphOps(font: Font, glyph: Glyph): string {
  let cache = outlines.get(font);
  if (!cache) outlines.set(font, (cache = new Map()));
  const hit = cache.get(glyph.id);
  if (hit !== undefined) return hit;
  const scale = WATERMARK_SIZE / font.unitsPerEm;
  const ops: string[] = [];
  let last: [number, number] = [0, 0];
  for (const { command, args } of glyph.path.commands) {
    const pts: [number, number][] = [];
    for (let k = 0; k + 1 < args.length; k += 2) pts.push([args[k]! * scale, -args[k + 1]! * scale]);
    const end = pts[pts.length - 1];
    if (command === 'quadraticCurveTo') {
      // PDF has cubic curves only: raise the quadratic's degree.
      const [q, to] = pts as [[number, number], [number, number]];
      const c1 = [last[0] + (2 / 3) * (q[0] - last[0]), last[1] + (2 / 3) * (q[1] - last[1])];
      const c2 = [to[0] + (2 / 3) * (q[0] - to[0]), to[1] + (2 / 3) * (q[1] - to[1])];
      ops.push(`${n(c1[0]!)} ${n(c1[1]!)} ${n(c2[0]!)} ${n(c2[1]!)} ${n(to[0])} ${n(to[1])} c`);
    } else {
      const op = { moveTo: 'm', lineTo: 'l', bezierCurveTo: 'c', closePath: 'h' }[command];
      if (op) ops.push([...pts.map(([x, y]) => `${n(x)} ${n(y)}`), op].join(' '));
    }
    if (end) last = end;
  }
  const result = ops.join(' ');
  cache.set(glyph.id, result);
  return result;
}

/** A coordinate to a tenth of a point: 0.035 mm, finer than print, and short in the stream. */
const n = (v: number): string => String(Math.round(v * 10) / 10);

/**
 * The footer band: the watermark's words once in plain text (so they can be extracted and read aloud),
 * how to verify, and the page number. The bottom margin is lifted meanwhile: the band lies below it, and
 * pdfkit would otherwise start a new page for text there.
 */
export function drawFooter(doc: Doc, lines: { notice: string; verify: string; page: string }): void {
  const x = PAGE.margin;
  const top = CONTENT_BOTTOM + 10;
  const margins = doc.page.margins;
  doc.page.margins = { ...margins, bottom: 0 };
  doc
    .moveTo(x, top)
    .lineTo(x + CONTENT_WIDTH, top)
    .lineWidth(0.6)
    .strokeColor(RULE)
    .stroke();
  doc.fillColor(SEAL_RED).fillOpacity(1).fontSize(8.5);
  const notice = measure(doc, lines.notice, CONTENT_WIDTH);
  put(doc, lines.notice, notice, x, top + 5);
  doc
    .fillColor(GREY)
    .fontSize(7)
    .text(lines.verify, x, top + 5 + notice.height + 2, { width: CONTENT_WIDTH - 50 });
  doc.text(lines.page, x + CONTENT_WIDTH - 50, top + 5 + 13, { width: 50, align: 'right', lineBreak: false });
  doc.page.margins = margins;
}
