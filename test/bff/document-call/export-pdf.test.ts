import { beijingMinute, parseAnnotatedPayload, decodeAnnotation, payloadFromPdf } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import {
  approvedCall,
  callResident,
  downloadCopy,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';
import { pdfInfo, pdfScratch, pdfText, squeeze, type PdfScratch } from '../../helpers/pdf';

// The annotated copy (加注件) a window files: read back with poppler's pdftotext, and its payload checked
// by the public verification from the uploaded file.
let stack: Stack;
let window: Window;
let scratch: PdfScratch;
beforeAll(async () => {
  // An annotated copy is about 64 KB, 85 KB in base64: over the default 64 KiB body limit of every route.
  stack = await startStack({ env: { BODY_LIMIT_BYTES: String(256 * 1024) } });
  window = await windowStaff(stack, { window: { id: 'cgs-5', name: '5号窗口（机动车登记）' } });
  scratch = pdfScratch('dc-pdf-');
});
afterAll(async () => {
  scratch.remove();
  await stack.stop();
});

it('when the window downloads a delivered document, then the PDF text has the holder, the document number, the purpose and the expiry, and its payload verifies', async () => {
  const resident = await callResident(stack);
  const { created, approved } = await approvedCall(stack, window, resident);
  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  const vehicle = read.body.documents.find((d: { type: string }) => d.type === 'vehicle_registration');
  const { res, bytes } = await downloadCopy(stack, window, created.id, vehicle.id);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-disposition')).toBe(
    `attachment; filename="vehicle_registration-${created.id}.pdf"`,
  );

  const file = scratch.save(bytes);
  const text = (await pdfText(file, { layout: true })).replace(/\s+/g, ' ');
  expect(text).toContain(resident.person.name);
  expect(text).toContain(vehicle.fields.documentNumber);
  expect(text).toContain(vehicle.fields.plateNumber);
  expect(text).toContain('办理机动车转移登记');
  expect(text).toContain(beijingMinute(approved.call.accessUntil));
  expect(text).toContain('仅供机动车转移登记（办理机动车转移登记）使用');
  expect(text).toContain('5号窗口（机动车登记）');
  // A field of the document the service may not read is not printed.
  expect(vehicle.fields.seats).toBeUndefined();

  // The payload is the PDF's Keywords too, so a verifier reads it without rendering the page.
  const payload = payloadFromPdf(bytes)!;
  expect(payload).toMatch(/^EIDA1:/);
  expect(squeeze(await pdfInfo(file))).toContain(`Keywords:${squeeze(payload)}`);
  const annotation = decodeAnnotation(parseAnnotatedPayload(payload).annotation).claims;
  expect(annotation).toMatchObject({
    service: 'vehicle_transfer',
    purpose: '办理机动车转移登记',
    windowName: '5号窗口（机动车登记）',
    organisation: window.org,
    accessUntil: approved.call.accessUntil,
  });

  const uploaded = await stack.api('POST', '/api/v1/licences/verify', {
    body: { pdf: Buffer.from(bytes).toString('base64') },
  });
  const pasted = await stack.api('POST', '/api/v1/licences/verify', { body: { code: payload } });
  expect(pasted.status).toBe(200);
  expect(pasted.body).toMatchObject({ verdict: 'valid', format: 'annotated' });
  expect(pasted.body.document.identifier).toBe(vehicle.identifier);
  expect(uploaded.status).toBe(200);
  expect(uploaded.body).toEqual({ ...pasted.body, checkedAt: uploaded.body.checkedAt });

  const exports = (await traceOf(stack, resident)).filter((e) => e.action === 'document_call.export');
  expect(exports).toMatchObject([
    {
      actor: { type: 'staff', id: window.staffId, displayName: '5号窗口（机动车登记）' },
      purpose: 'vehicle_transfer',
      fields: expect.arrayContaining(['vehicle_registration.plateNumber', 'vehicle_registration.holderName']),
      detail: { documentCall: created.id, document: 'vehicle_registration' },
    },
  ]);
});

it('when the window asks for a document id this call was not delivered, then it does not exist', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedCall(stack, window, resident);
  const res = await stack.api(
    'GET',
    `/api/v1/document-calls/${created.id}/documents/AAAAAAAAAAAA/annotated.pdf`,
    {
      token: window.token,
    },
  );
  expectError(res, 404, 'NOT_FOUND');
  expectError(
    await stack.api('GET', `/api/v1/document-calls/${created.id}/documents/short/annotated.pdf`, {
      token: window.token,
    }),
    400,
    'VALIDATION_FAILED',
  );
});
