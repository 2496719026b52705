import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  SfParseError,
  SIGNATURE_FAILURE_REASONS,
  parseSfDictionary,
  payloadFromPdf,
  serializeSfDictionary,
  utf8Encode,
  verifyAnnotatedPayload,
  verifyContentDigest,
  verifyRequest,
  verifyWebhook,
  VERDICTS,
  parseWebhookPublicKey,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { webhookVectors } from '../../scripts/vectors/webhooks';
import { HTTP_SIGNATURE_VECTORS, profileKeys, vectorRequest } from '../shared/http-signatures/vectors';
import { optionsAt, vectors as licenceVectors } from '../helpers/licence-codes';
import { mutatedText, RUNS, same, valueOrRefusal } from './refusal';

const ed25519 = createNodeEd25519();
const SF_CHARS = '();=,": \\?*-0aA@/';

describe('signed requests (RFC 9421 profile) under fuzzing', () => {
  const { profile } = HTTP_SIGNATURE_VECTORS;
  const keys = profileKeys();
  const tampered = profile.rejections.find((r) => r.name === 'body changed after signing')!.request;
  const good = {
    ...vectorRequest(tampered),
    headers: tampered.headers as Record<string, string>,
    body: utf8Encode(profile.examples[0]!.request.body),
  };
  const options = { resolveKey: (kid: string) => keys.get(kid), now: profile.now, verify: ed25519 };
  const reasons = new Set<string>(SIGNATURE_FAILURE_REASONS);

  it('when any of Signature-Input, Signature, Content-Digest, method, URL or body is changed, then a failure reason, never a throw, never ok', () => {
    expect(verifyRequest(good, options)).toMatchObject({ ok: true });
    const header = (name: 'signature-input' | 'signature' | 'content-digest') =>
      fc.oneof(mutatedText(good.headers[name]!, SF_CHARS), fc.string({ unit: 'binary', maxLength: 120 }));
    const changed = fc.oneof(
      header('signature-input').map((v) => ({ ...good, headers: { ...good.headers, 'signature-input': v } })),
      header('signature').map((v) => ({ ...good, headers: { ...good.headers, signature: v } })),
      header('content-digest').map((v) => ({ ...good, headers: { ...good.headers, 'content-digest': v } })),
      fc.constantFrom('GET', 'PUT', 'post', '').map((method) => ({ ...good, method })),
      mutatedText(good.url, '/?&=a%.').map((url) => ({ ...good, url })),
      fc.uint8Array({ maxLength: 80 }).map((body) => ({ ...good, body })),
      fc
        .dictionary(
          fc.string({ maxLength: 20 }),
          fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string(), { maxLength: 3 })),
        )
        .map((extra) => ({ ...good, headers: { ...extra } as Record<string, string> })),
    );
    fc.assert(
      fc.property(changed, (request) => {
        const r = verifyRequest(request, options);
        // Accepted only when every signed part is the same: header values compared as structured fields
        // (surrounding whitespace is not part of a field value, RFC 9110 §5.5, and node strips it too).
        if (r.ok) {
          if (request.url !== good.url || request.method !== good.method) return false;
          for (const name of ['signature-input', 'signature', 'content-digest'] as const)
            if (
              !same(
                parseSfDictionary((request.headers as Record<string, string>)[name]!),
                parseSfDictionary(good.headers[name]!),
              )
            )
              return false;
        } else if (!reasons.has(r.reason)) return false;
        const digest = (request.headers as Record<string, unknown>)['content-digest'];
        if (typeof digest === 'string') verifyContentDigest(digest, request.body);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any text is parsed as a structured-field dictionary, then a value or SfParseError; a value serializes to a text that parses to it', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...SF_CHARS.split('')), maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      mutatedText(good.headers['signature-input']!, SF_CHARS),
    );
    fc.assert(
      fc.property(text, (t) => {
        const d = valueOrRefusal(() => parseSfDictionary(t), SfParseError);
        if (d instanceof Error) return;
        const again = serializeSfDictionary(d);
        return same(parseSfDictionary(again), d);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('callback payloads (webhooks) under fuzzing', () => {
  const vectors: ReturnType<typeof webhookVectors> = JSON.parse(
    readFileSync(path.join(__dirname, '../../docs/formats/vectors/webhooks.json'), 'utf8'),
  );
  const good = vectors.receiverCases.find((c) => c.expect.ok)!;
  const options = {
    secrets: good.secrets,
    publicKeys: [parseWebhookPublicKey(vectors.callbackKey.whpk)!],
    nowMs: good.nowMs,
    ed25519,
  };
  const HEADER_CHARS = 'v1a,=+/ ABCxyz0189._';

  it('when headers or body are anything, or one character of a good callback is changed, then ok only for the unchanged callback, never a throw', () => {
    expect(verifyWebhook(good.headers, good.body, options)).toMatchObject({ ok: true });
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }),
    );
    const input = fc.oneof(
      fc.tuple(
        fc.dictionary(
          fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'Webhook-Id', 'x'),
          value,
        ),
        fc.string(),
      ),
      fc
        .constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature')
        .chain((name) =>
          mutatedText(good.headers[name as keyof typeof good.headers], HEADER_CHARS).map(
            (v) => [{ ...good.headers, [name]: v }, good.body] as const,
          ),
        ),
      mutatedText(good.body, '{}":,a0 ').map((body) => [good.headers, body] as const),
      fc.uint8Array({ maxLength: 60 }).map((body) => [good.headers, body] as const),
    );
    fc.assert(
      fc.property(input, ([headers, body]) => {
        const r = verifyWebhook(headers as Record<string, string>, body, options);
        if (r.ok) {
          // Only a signature list with a surplus entry changed can still verify; id, time and body never.
          return (
            headers['webhook-id'] === good.headers['webhook-id'] &&
            headers['webhook-timestamp'] === good.headers['webhook-timestamp'] &&
            body === good.body
          );
        }
        return ['missing_headers', 'malformed', 'stale', 'no_matching_signature'].includes(r.reason);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('PDFs offered for verification (POST /api/v1/licences/verify with pdf) under fuzzing', () => {
  const annotated = licenceVectors.cases.find((c) => c.kind === 'annotated' && c.expect === 'valid')!;
  const options = optionsAt(Number(annotated.now), { ed25519 });
  const enc = (s: string) => new TextEncoder().encode(s);
  const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
  const pdfOf = (payload: string) =>
    `%PDF-1.3\n1 0 obj\n<< /Keywords 21 0 R >>\nendobj\n21 0 obj\n(${payload.replace(/([()\\])/g, '\\$1')})\nendobj\n%%EOF\n`;
  const PDF_CHARS = '()\\/ \n\r0123456789RobjendKeywords<>EIDA1:';

  it('when any bytes are offered as a PDF, then a payload or none, never a throw; what is found verifies to a verdict', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.string({ unit: fc.constantFrom(...PDF_CHARS.split('')), maxLength: 400 }).map(latin1),
      mutatedText(pdfOf(annotated.input), PDF_CHARS).map(latin1),
      fc
        .string({
          unit: fc.constantFrom('/Keywords (', '/Keywords 1 0 R ', '\\\n', '(', ')', '1 0 obj (', 'EIDA1:'),
          maxLength: 300,
        })
        .map(enc),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const text = payloadFromPdf(b);
        if (text === undefined) return true;
        return text.startsWith('EIDA1:') && VERDICTS.includes(verifyAnnotatedPayload(text, options).verdict);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any payload text is written into a PDF as an escaped string, then it is read back exactly; the vector copy verifies', () => {
    const found = payloadFromPdf(enc(pdfOf(annotated.input)));
    expect(found).toBe(annotated.input);
    expect(verifyAnnotatedPayload(found, options).verdict).toBe('valid');
    const payload = fc
      .string({ unit: fc.constantFrom(...'()\\\n\rABC $%*+-./:019'.split('')), maxLength: 200 })
      .map((s) => `EIDA1:${s}`);
    fc.assert(
      fc.property(payload, (p) => payloadFromPdf(latin1(pdfOf(p))) === p),
      { numRuns: RUNS },
    );
  });

  // The public route reads up to 256 KiB: each entry once scanned the rest of the file (3 s for 190 KB of
  // `/Keywords (\` + newline). The bounds are what keeps the work linear; these show they are there.
  it('when a file holds more than 64 Keywords entries after the one with the payload, then the payload is not looked for', () => {
    const decoys = '/Keywords (not it) '.repeat(64);
    expect(payloadFromPdf(enc(`/Keywords (${annotated.input}) ${'/Keywords (x) '.repeat(63)}`))).toBe(
      annotated.input,
    );
    expect(payloadFromPdf(enc(`/Keywords (${annotated.input}) ${decoys}`))).toBeUndefined();
  });

  it('when a string runs on through escaped line ends beyond four bytes per payload character, then it is not read', () => {
    const escapedEnds = '\\\n'.repeat(40_000);
    expect(payloadFromPdf(enc(`/Keywords (EIDA1:${'\\\n'.repeat(10)}X)`))).toBe('EIDA1:X');
    expect(payloadFromPdf(enc(`/Keywords (EIDA1:${escapedEnds}X)`))).toBeUndefined();
  });
});
