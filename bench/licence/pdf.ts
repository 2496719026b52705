/**
 * Annotated copies (加注件) per second against a bare pdfkit page drawing the same text with the same
 * parsed font: what the layout, the QR code and the watermark cost on top of putting the words in a PDF
 * (issue 15's goal: at least 0.5 of it). The issue names a bare pdf-lib page, but pdf-lib cannot embed
 * the `.ttc` font at all (shared guide PDF.md), so the reference is the library the product uses.
 * The reference's text is the product PDF's own, read back with pdftotext, so the two draw the same glyphs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import {
  loadCjkFont,
  renderAnnotatedCopy,
  type AnnotatedCopyInput,
} from '../../bff/src/modules/licence/annotated-copy';
import { scaled } from '../options';
import type { BenchResult } from '../types';

const ROUNDS = scaled(4, 3);
const BATCH = 15;

/** A driving licence called for a marriage registration, with a payload the size of the signed one. */
export const benchInput: AnnotatedCopyInput = {
  document: {
    typeName: '机动车驾驶证',
    licenceIdentifier: '1.2.156.3005.2.11100000000013338W011.11110000000021135M.K7Q2M9X4B8N1P5R3T6V0.001.Q',
    number: '110101199003071234',
    holderName: '阿卜杜热合曼·买买提明',
    issuerName: '北京市公安局公安交通管理局',
    issueDate: '2020-03-07',
    validity: { from: '2020-03-07', until: '2026-03-07' },
    fields: [
      { label: '准驾车型', labelEn: 'Class', value: 'C1' },
      { label: '初次领证日期', labelEn: 'First issued', value: '2014-03-07' },
      { label: '住址', labelEn: 'Address', value: '北京市东城区景山前街4号院2号楼3单元501室' },
      { label: '档案编号', labelEn: 'File number', value: '110100123456' },
    ],
  },
  annotation: {
    service: '婚姻登记',
    purpose: '结婚登记',
    windowName: '东城区婚姻登记处 3 号窗口',
    organisation: '北京市东城区民政局',
    staffName: '李**',
    expiresAt: Date.UTC(2026, 11, 3, 10, 0),
    annotatedAt: Date.UTC(2026, 11, 2, 2, 30),
  },
  qrText:
    'ELC1:' +
    Array.from(
      { length: 560 },
      (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(i * 37 + 11) % 64],
    ).join(''),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function rate(count: number, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return count / ((performance.now() - start) / 1000);
}

/** The bare reference: one A4 page, the same parsed font, the lines drawn one after another. */
function barePage(font: ReturnType<typeof loadCjkFont>, lines: readonly string[]): Promise<Buffer> {
  // Started with the CJK font, as the product is, so neither side loads Helvetica's metrics.
  const doc = new PDFDocument({
    size: 'A4',
    font: font as unknown as string,
    info: { CreationDate: new Date(benchInput.annotation.annotatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  doc.fontSize(9);
  for (const line of lines) doc.text(line);
  doc.end();
  return done;
}

/** The product PDF's text as pdftotext reads it, one entry per non-empty line. */
function textLines(pdf: Uint8Array): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'eid-bench-pdf-'));
  try {
    const file = path.join(dir, 'copy.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return text.split('\n').filter((line) => line.trim() !== '');
  } catch (err) {
    throw new Error(
      `bench licence: pdftotext (Debian poppler-utils) is needed; run scripts/provision.sh (${String(err)})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Annotated copies per second beside the bare page, both with the font already parsed. */
export async function measurePdf(): Promise<BenchResult[]> {
  const font = loadCjkFont();
  const sample = await renderAnnotatedCopy(benchInput);
  const lines = textLines(sample);
  const bare = await barePage(font, lines);
  const ours = () => renderAnnotatedCopy(benchInput);
  const reference = () => barePage(font, lines);
  // Warm-up, then alternate so that both sides see the same machine noise.
  await rate(BATCH, ours);
  await rate(BATCH, reference);
  const oursRates: number[] = [];
  const refRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(await rate(BATCH, ours));
    refRates.push(await rate(BATCH, reference));
  }
  const opsPerSec = median(oursRates);
  const referenceOpsPerSec = median(refRates);
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  return [
    {
      name: `annotated copy PDF (${kb(sample.length)}; bare ${kb(bare.length)})`,
      opsPerSec,
      reference: `bare pdfkit page, same font and ${lines.length} lines`,
      referenceOpsPerSec,
      ratio: opsPerSec / referenceOpsPerSec,
    },
  ];
}
