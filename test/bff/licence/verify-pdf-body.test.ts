import { LICENCE_VERIFY_BODY_LIMIT } from '@eid/bff/modules/licence/licence.routes';
import { startStack, type Stack } from '../../helpers/stack';
import { approvedCall, callResident, windowStaff, type Window } from '../../helpers/document-call';

// The public verification reads a whole annotated copy at default settings: its route has its own body bound.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack({ env: { LICENCE_VERIFY_RATE_PER_MINUTE: '1000' } });
  window = await windowStaff(stack);
});
afterAll(() => stack.stop());

/** An annotated copy as the window downloads it after a vehicle transfer call. */
async function annotatedCopy(): Promise<Buffer> {
  const resident = await callResident(stack);
  const { created } = await approvedCall(stack, window, resident);
  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  const vehicle = read.body.documents.find((d: { type: string }) => d.type === 'vehicle_registration');
  const res = await fetch(
    `${stack.url}/api/v1/document-calls/${created.id}/documents/${vehicle.id}/annotated.pdf`,
    { headers: { authorization: `Bearer ${window.token}` } },
  );
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** A JSON body of exactly `bytes` bytes: `{ "pdf": "AAAA..." }`. */
const bodyOf = (bytes: number) => `{"pdf":"${'A'.repeat(bytes - '{"pdf":""}'.length)}"}`;

const post = (path: string, raw: string, headers: Record<string, string> = {}) =>
  stack.api('POST', path, { raw, headers: { 'content-type': 'application/json', ...headers } });

it('when an annotated copy is uploaded at the default body limit, then it is read whole and verified', async () => {
  expect(stack.config.BODY_LIMIT_BYTES).toBe(64 * 1024);
  const pdf = await annotatedCopy();
  const body = JSON.stringify({ pdf: pdf.toString('base64') });
  // The case the route's own bound exists for: the copy is over the limit every other route keeps.
  expect(Buffer.byteLength(body)).toBeGreaterThan(stack.config.BODY_LIMIT_BYTES);
  expect(Buffer.byteLength(body)).toBeLessThan(LICENCE_VERIFY_BODY_LIMIT.limitBytes);
  const res = await post('/api/v1/licences/verify', body);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    verdict: 'valid',
    format: 'annotated',
    document: { type: 'vehicle_registration' },
  });
});

it("when a body is over the route's own bound, then 413 BODY_TOO_LARGE, whether its length is declared or streamed", async () => {
  const over = bodyOf(LICENCE_VERIFY_BODY_LIMIT.limitBytes + 1);
  const declared = await post('/api/v1/licences/verify', over);
  expect([declared.status, declared.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
  expect(declared.headers.get('connection')).toBe('close');

  // Chunked, with no Content-Length: refused while it is read.
  const streamed = await fetch(`${stack.url}/api/v1/licences/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Blob([over]).stream(),
    duplex: 'half',
  } as RequestInit);
  expect(streamed.status).toBe(413);
  expect(((await streamed.json()) as { code: string }).code).toBe('BODY_TOO_LARGE');

  // At the bound exactly the body is read (and then judged by the schema and the verifier, not the size).
  const at = await post('/api/v1/licences/verify', bodyOf(LICENCE_VERIFY_BODY_LIMIT.limitBytes));
  expect(at.status).toBe(200);
  expect(at.body.verdict).toBe('malformed');
});

it('when another route gets a body the size of an annotated copy, then it keeps the default limit', async () => {
  const copySized = bodyOf(100 * 1024);
  for (const [path, headers] of [
    ['/api/v1/licences/links', {}],
    ['/api/v1/verify', {}],
    // Another spelling of the verification path is not the route the bound was given to.
    ['/api/v1/licences/verify/', {}],
  ] as const) {
    const res = await post(path, copySized, headers);
    expect([path, res.status, res.body.code]).toEqual([path, 413, 'BODY_TOO_LARGE']);
  }
});
