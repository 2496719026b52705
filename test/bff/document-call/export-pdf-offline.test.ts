import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderAnnotatedCopy } from '@eid/bff/modules/licence/annotated-copy';
import {
  base64urlDecode,
  beijingMinute,
  decodeDocumentCredential,
  documentSlots,
  encodeAnnotatedPayload,
  findService,
  fromHex,
  openLicenceIssuerList,
  openLicenceStatusList,
  openTrustList,
  parseAnnotatedPayload,
  payloadFromPdf,
  tweetnaclEd25519,
  verifyAnnotatedPayload,
  type DeliveredDocument,
  type DeliveredDocuments,
  type LicenceIssuerList,
  type LicenceIssuersAnswer,
  type StatusList,
  type StatusListAnswer,
  type TrustList,
  type TrustListAnswer,
} from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import {
  VEHICLE_TRANSFER,
  approvedCall,
  callResident,
  downloadCopy,
  windowStaff,
  type Window,
} from '../../helpers/document-call';
import { pdfQrCodes, pdfScratch, pdfText, squeeze, type PdfScratch } from '../../helpers/pdf';

// The annotated copy (加注件) a window downloaded from a real document call, checked as a filing office would
// years later: its QR code read from the rendered page, verified with shared verifyAnnotatedPayload and nothing
// but the lists fetched from the BFF once beforehand, under the trust root the verifier pins.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PINNED_ROOT = fromHex(
  /development root public key \(hex\): `([0-9a-f]{64})`/.exec(
    readFileSync(path.join(__dirname, '../../../docs/formats/trust-list.md'), 'utf8'),
  )![1]!,
);
const VEHICLE_FIELDS = findService('vehicle_transfer')!.required.find(
  (d) => d.type === 'vehicle_registration',
)!.fields;

/** What an offline verifier keeps: each list verified when fetched, the trust lists under the pinned root. */
interface KeptLists {
  trustList: TrustList;
  licenceIssuers: LicenceIssuerList;
  statusLists: Map<string, StatusList>;
}

let stack: Stack;
let stopped = false;
let window: Window;
let scratch: PdfScratch;
let copy: Awaited<ReturnType<typeof deliveredCopy>>;
let kept: KeptLists;

beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack, { window: { id: 'cgs-6', name: '6号窗口（机动车登记）' } });
  scratch = pdfScratch('dc-pdf-offline-');
  copy = await deliveredCopy();
  kept = await fetchLists(copy.kid);
});
afterAll(async () => {
  scratch.remove();
  if (!stopped) await stack.stop();
});

/** A vehicle transfer approved by a new resident, its vehicle registration downloaded and its QR code read. */
async function deliveredCopy() {
  const resident = await callResident(stack);
  const { created, approved } = await approvedCall(stack, window, resident);
  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  const vehicle = (read.body as DeliveredDocuments).documents.find(
    (d) => d.type === 'vehicle_registration',
  ) as DeliveredDocument;
  const { res, bytes } = await downloadCopy(stack, window, created.id, vehicle.id);
  if (res.status !== 200) throw new Error(`annotated.pdf answered ${res.status}`);
  const file = scratch.save(bytes);
  const qrCodes = await pdfQrCodes(file);
  const kid = decodeDocumentCredential(parseAnnotatedPayload(qrCodes[0]!).document).kid;
  return { created, accessUntil: approved.call.accessUntil as number, vehicle, bytes, file, qrCodes, kid };
}

async function statusListOf(kid: string, licenceIssuers: LicenceIssuerList): Promise<StatusList> {
  const res = await stack.api('GET', `/api/v1/licences/status-lists/${kid}`);
  const answer = res.body as StatusListAnswer;
  return openLicenceStatusList(base64urlDecode(answer.statusList), licenceIssuers, tweetnaclEd25519);
}

/** The trust list, the licence-issuer list and the issuing body's status list, fetched once. */
async function fetchLists(kid: string): Promise<KeptLists> {
  const trust = (await stack.api('GET', '/api/v1/trust-list')).body as TrustListAnswer;
  const issuers = (await stack.api('GET', '/api/v1/trust/licence-issuers')).body as LicenceIssuersAnswer;
  const licenceIssuers = openLicenceIssuerList(
    base64urlDecode(issuers.licenceIssuers),
    PINNED_ROOT,
    tweetnaclEd25519,
    { now: stack.clock.now() },
  );
  return {
    trustList: openTrustList(base64urlDecode(trust.trustList), PINNED_ROOT, tweetnaclEd25519),
    licenceIssuers,
    statusLists: new Map([[kid, await statusListOf(kid, licenceIssuers)]]),
  };
}

const verifyAt = (text: string, lists: KeptLists, now: number) =>
  verifyAnnotatedPayload(text, { ...lists, clock: { now: () => now } });

it('when the downloaded copy’s page is rendered, then it carries one QR code and it is the payload of the PDF’s Keywords', () => {
  expect(copy.qrCodes).toHaveLength(1);
  expect(copy.qrCodes[0]).toMatch(/^EIDA1:/);
  expect(copy.qrCodes[0]).toBe(payloadFromPdf(copy.bytes));
});

it('when the document is revoked at the issuer after the copy was made, then a fresh status list says revoked, and the list kept from before still says valid', async () => {
  const later = await deliveredCopy();
  const before = await fetchLists(later.kid);
  const [qr] = later.qrCodes;
  expect(verifyAt(qr!, before, stack.clock.now()).verdict).toBe('valid');

  stack.mocks.licence.revoke(later.vehicle.identifier);
  // Past the minute the BFF serves a status list it holds before asking the licence system again.
  stack.clock.advance(61_000);
  const fresh = {
    ...before,
    statusLists: new Map([[later.kid, await statusListOf(later.kid, before.licenceIssuers)]]),
  };
  const now = stack.clock.now();
  const revoked = verifyAt(qr!, fresh, now);
  expect(revoked).toMatchObject({ verdict: 'revoked', identifier: later.vehicle.identifier });
  // Still comparable with the print, which cannot know: it says what the document was at retrieval.
  expect(revoked.fields).toEqual(later.vehicle.fields);
  expect(await pdfText(later.file)).toContain('有效 valid');
  expect(verifyAt(qr!, before, now).verdict).toBe('valid');
});

it('when the BFF is stopped, then the copy’s QR verifies offline with the lists fetched before: valid, the disclosed fields are the printed ones, and the annotation names the service, purpose, window and access end', async () => {
  const { url } = stack;
  stopped = true;
  await stack.stop();
  await expect(fetch(`${url}/api/v1/trust-list`)).rejects.toThrow();

  const result = verifyAt(copy.qrCodes[0]!, kept, stack.clock.now());
  expect(result).toMatchObject({
    verdict: 'valid',
    format: 'annotated',
    docType: 'vehicle_registration',
    identifier: copy.vehicle.identifier,
    validFrom: copy.vehicle.validFrom,
  });
  expect(result.issuer!.uscc).toBe(copy.vehicle.issuer);
  expect(new Set(result.disclosed)).toEqual(new Set(VEHICLE_FIELDS));
  expect(result.fields).toEqual(copy.vehicle.fields);

  const text = squeeze(await pdfText(copy.file));
  for (const [key, value] of Object.entries(result.fields!)) {
    expect({ key, printed: text.includes(squeeze(String(value))) }).toEqual({ key, printed: true });
  }
  expect(result.annotation).toMatchObject({
    service: VEHICLE_TRANSFER.service,
    purpose: VEHICLE_TRANSFER.purpose,
    windowName: '6号窗口（机动车登记）',
    organisation: window.org,
    accessUntil: copy.accessUntil,
    requestId: fromHex(copy.created.id),
  });
  expect(text).toContain(
    squeeze(`仅供机动车转移登记（${VEHICLE_TRANSFER.purpose}）使用，6号窗口（机动车登记）`),
  );
  expect(text).toContain(squeeze(beijingMinute(copy.accessUntil)));
});

it('when the kept lists grow old, then the copy says status_unknown with the status list’s age, and once the kept licence-issuer list has expired, unknown_issuer: a current list is needed', () => {
  const [qr] = copy.qrCodes;
  const madeAt = kept.statusLists.get(copy.kid)!.issuedAt;
  const stale = verifyAt(qr!, kept, madeAt + 2 * HOUR);
  expect(stale).toMatchObject({ verdict: 'status_unknown', statusAgeMs: 2 * HOUR });
  expect(stale.fields).toEqual(copy.vehicle.fields);
  expect(verifyAt(qr!, kept, kept.licenceIssuers.expiresAt - 1).verdict).toBe('status_unknown');
  expect(verifyAt(qr!, kept, kept.licenceIssuers.expiresAt).verdict).toBe('unknown_issuer');
  expect(verifyAt(qr!, kept, madeAt + 3 * 365 * DAY).verdict).toBe('unknown_issuer');
});

it('when a forger re-prints the copy with one printed field changed and the QR payload edited to match, then the QR read from that PDF verifies as tampered and discloses nothing', async () => {
  const parts = parseAnnotatedPayload(copy.qrCodes[0]!);
  const { type } = decodeDocumentCredential(parts.document);
  const [slot] = documentSlots(type, ['plateNumber']);
  const plate = copy.vehicle.fields.plateNumber as string;
  expect(parts.disclosure.values.get(slot!)).toBe(plate);
  const forgedPlate = plate.slice(0, -1) + (plate.endsWith('8') ? '9' : '8');
  const values = new Map(parts.disclosure.values).set(slot!, forgedPlate);
  const forgedText = encodeAnnotatedPayload({ ...parts, disclosure: { ...parts.disclosure, values } });

  const { fields } = copy.vehicle;
  const forged = scratch.save(
    await renderAnnotatedCopy({
      document: {
        typeName: type.zh,
        licenceIdentifier: copy.vehicle.identifier,
        number: String(fields.documentNumber),
        holderName: String(fields.holderName),
        issuerName: String(fields.issuerName),
        issueDate: '—',
        validity: { from: copy.vehicle.validFrom, until: copy.vehicle.validUntil },
        fields: [{ label: '号牌号码', labelEn: 'Plate number', value: forgedPlate }],
      },
      annotation: {
        service: '机动车转移登记',
        purpose: VEHICLE_TRANSFER.purpose,
        windowName: '6号窗口（机动车登记）',
        organisation: window.org,
        staffName: window.displayName,
        expiresAt: copy.accessUntil,
        annotatedAt: stack.clock.now(),
      },
      qrText: forgedText,
    }),
    'forged',
  );
  expect(await pdfText(forged)).toContain(forgedPlate);
  const [read] = await pdfQrCodes(forged);
  expect(read).toBe(forgedText);
  const result = verifyAt(read!, kept, stack.clock.now());
  expect(result).toMatchObject({ verdict: 'tampered', identifier: copy.vehicle.identifier });
  expect(result.fields).toBeUndefined();
  expect(result.disclosed).toBeUndefined();
  expect(verifyAt(copy.qrCodes[0]!, kept, stack.clock.now()).verdict).toBe('valid');
});
