import { payloadFromPdf } from '@eid/shared';

it('when bytes carry no payload, then payloadFromPdf finds none; an escaped one is read back', () => {
  expect(payloadFromPdf(new TextEncoder().encode('%PDF-1.3\n/Keywords (hello)\n'))).toBeUndefined();
  expect(payloadFromPdf(new Uint8Array(0))).toBeUndefined();
  const escaped = new TextEncoder().encode('/Keywords (old) /Keywords (EIDA1:AB\\(C\\)\\\\D\\101)');
  expect(payloadFromPdf(escaped)).toBe('EIDA1:AB(C)\\DA');
  // As pdfkit writes it: an indirect string object, the newest definition winning.
  const indirect = new TextEncoder().encode(
    '<< /Keywords 21 0 R >>\n21 0 obj\n(EIDA1:OLD)\nendobj\n121 0 obj\n(EIDA1:NOT)\nendobj\n21 0 obj\n(EIDA1:NEW)\nendobj\n',
  );
  expect(payloadFromPdf(indirect)).toBe('EIDA1:NEW');
});
