import {
  base64urlEncode,
  documentType,
  encodeDocumentSecrets,
  formatLicenceIdentifier,
  issueDocumentCredential,
  makeUscc,
  tweetnaclEd25519 as ed,
  type DocValue,
  type LicenceStatus,
  type WalletDocument,
} from '@eid/shared';
import { SAMPLE_DOCUMENTS } from '../../scripts/vectors/licence-samples';

/**
 * Wallet documents as the BFF answers them (`GET /api/v1/licences`), for the mini-program's component
 * tests: the realistic synthetic values of scripts/vectors/licence-samples.ts, a real document credential
 * signed by a test issuing body, and the document secrets the device keeps.
 */

export const TEST_ISSUER_USCC = makeUscc({
  registrationAuthority: '1',
  category: '1',
  regionCode: '370100',
  organisationBody: 'EXAMPLE7',
});
export const TEST_ISSUER_KID = 'test-lic-37';
export const testIssuer = ed.keyPairFromSeed(new Uint8Array(32).fill(21));

let serial = 0;

/** A valid licence identifier of `type` issued by the test body (a new serial each call). */
export function testIdentifier(type: string, version = 1): string {
  serial += 1;
  return formatLicenceIdentifier({
    typeCode: documentType(type)!.typeCode,
    issuerCode: TEST_ISSUER_USCC,
    serial: `TEST${String(serial).padStart(16, '0')}`,
    version,
  });
}

/**
 * One wallet document of `type` with the sample values (changed by `values`; `validUntil: undefined`
 * for long-term) and the given status.
 */
export function walletDocument(
  type: string,
  options: { status?: LicenceStatus; values?: Record<string, DocValue | undefined>; id?: string } = {},
): WalletDocument {
  const t = documentType(type);
  if (!t) throw new Error(`unknown type ${type}`);
  const merged: Record<string, DocValue> = {};
  for (const [k, v] of Object.entries({ ...SAMPLE_DOCUMENTS[type], ...options.values })) {
    if (v !== undefined) merged[k] = v;
  }
  const identifier = testIdentifier(type);
  const secrets = { seed: new Uint8Array(16).fill(serial % 250), values: merged };
  const credential = issueDocumentCredential(
    TEST_ISSUER_KID,
    {
      issuer: TEST_ISSUER_USCC,
      identifier,
      issuedAt: Date.UTC(2025, 0, 1),
      docType: type,
      validFrom: merged.validFrom as string,
      ...(merged.validUntil === undefined ? {} : { validUntil: merged.validUntil as string }),
      statusIndex: serial,
      version: 1,
    },
    secrets,
    (tbs) => ed.sign(testIssuer.secretKey, tbs),
  );
  const faceKeys = new Set([t.face.headline, ...t.face.rows.flat()]);
  const face: WalletDocument['face'] = {};
  for (const key of faceKeys) {
    const v = merged[key];
    if (v !== undefined && !(v instanceof Uint8Array)) face[key] = v;
  }
  return {
    id: options.id ?? `doc-${type}-${serial}`,
    type,
    identifier,
    documentNumber: String(merged.documentNumber),
    status: options.status ?? 'valid',
    validUntil: (merged.validUntil as string | undefined) ?? null,
    face,
    credential: base64urlEncode(credential),
    secrets: base64urlEncode(encodeDocumentSecrets(t, secrets)),
    updatedAt: Date.UTC(2026, 10, 1),
  };
}
