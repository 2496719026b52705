/**
 * The licence wallet's hot paths (issue 15), each beside a bare reference measured in the same run:
 * - annotated-copy PDFs (licence/pdf.ts) against a bare pdfkit page with the same font and text: the
 *   goal is at least 0.5 of it.
 * Bounded: about 10 s.
 */
import type { BenchResult } from './types';
import { measurePdf } from './licence/pdf';

/** The annotated-copy measurement. */
export async function run(): Promise<BenchResult[]> {
  return [...(await measurePdf())];
}
