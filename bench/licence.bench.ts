/**
 * The licence wallet's hot paths (issue 15), each beside a bare reference measured in the same run:
 * - a whole document call over HTTP (licence/document-call.ts: create, open, approve, read) at 10 windows at
 *   once, with p50/p99 per step, against the same number of round trips to `GET /healthz`;
 * - offline verification of document codes (licence/doc-code.ts), node:crypto and tweetnacl, against a bare
 *   Ed25519 verify of the same code's device signature with the same library: the goal is at least 0.8 of it
 *   on node:crypto;
 * - annotated-copy PDFs (licence/pdf.ts) against a bare pdfkit page with the same font and text: the
 *   goal is at least 0.5 of it.
 * Bounded: about a minute.
 */
import type { BenchResult } from './types';
import { measureDocCode } from './licence/doc-code';
import { measureDocumentCall } from './licence/document-call';
import { measurePdf } from './licence/pdf';

/** The document call over HTTP first (its per-step lines print as it ends), then document codes and PDFs. */
export async function run(): Promise<BenchResult[]> {
  const call = await measureDocumentCall();
  return [...call, ...measureDocCode(), ...(await measurePdf())];
}
