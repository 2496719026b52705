import {
  CborShapeError,
  base45Decode,
  base45Encode,
  bytesEqual,
  cborDecode,
  cborEncode,
  cborHead,
  concatBytes,
  utf8Encode,
  type CborValue,
} from '../encoding';
import {
  randomBytes,
  sha256 as portableSha256,
  tweetnaclEd25519,
  type Ed25519,
  type Sha256,
} from '../crypto';
import { CODE_NONCE_LENGTH } from '../card/code';
import { sdBuild, sdValuesFrom, type SdDisclosure } from '../card/sd';
import { findPurpose, findPurposeById } from '../purposes/purposes';
import { documentSlots, type DocumentType } from './registry';
import { findService, findServiceById } from './services';
import { decodeDocumentCredential, documentSdTree, type DocumentSecrets } from './document';
import { decodeBinding, documentDigest } from './binding';

/**
 * The document code (docs/formats/licence-codes.md): the rotating QR code a wallet shows for one document, as
 * the bright card's v2 code is for the ID card (shared/src/card/code-v2.ts), with the BFF's device binding
 * beside the document because the issuing body never saw the device key.
 */

/** Version prefix of a document code's QR text. */
export const DOCUMENT_CODE_PREFIX = 'EIDD1:';
/** Domain-separation label of the device signature. */
export const DOCUMENT_CODE_CONTEXT = 'EID document code v1';
/** Longest text a parser looks at (QR version 40 at M holds 3391 alphanumeric characters). */
export const MAX_DOCUMENT_CODE_CHARS = 4096;
/** Largest purpose or service id a code may name. */
export const MAX_DOCUMENT_PURPOSE_ID = 0xffffffff;
const CONTEXT_BYTES = utf8Encode(DOCUMENT_CODE_CONTEXT);
const SIGNING_PREFIX = concatBytes(cborHead(4, 9), cborHead(3, CONTEXT_BYTES.length), CONTEXT_BYTES);
// The signature is the last item: its head `58 40` and 64 bytes.
const SIGNATURE_TAIL = 66;

/**
 * The fields of `type` a code made for `purposeOrService` discloses: the type's `visibility` for that card
 * purpose or document-call service, or undefined when it names neither or the type grants it nothing.
 *
 * @example documentDisclosureFor(documentType('vehicle_registration')!, 'vehicle_transfer') // 14 field keys
 */
export function documentDisclosureFor(
  type: DocumentType,
  purposeOrService: string,
): readonly string[] | undefined {
  if (!findPurpose(purposeOrService) && !findService(purposeOrService)) return undefined;
  return Object.prototype.hasOwnProperty.call(type.visibility, purposeOrService)
    ? type.visibility[purposeOrService]
    : undefined;
}

/** The number a code names a card purpose (1..99) or a service (101..) by, or undefined. */
export function documentPurposeId(purposeOrService: string): number | undefined {
  return findPurpose(purposeOrService)?.id ?? findService(purposeOrService)?.id;
}

/** What a code's purpose id names: a card purpose, a document-call service, or nothing (0 or unknown). */
export function documentPurposeOf(
  id: number,
): { kind: 'purpose'; code: string } | { kind: 'service'; code: string } | undefined {
  if (id === 0) return undefined;
  const service = findServiceById(id);
  if (service) return { kind: 'service', code: service.code };
  const purpose = findPurposeById(id);
  return purpose ? { kind: 'purpose', code: purpose.code } : undefined;
}

export interface BuildDocumentCodeInput {
  /** The document credential bytes as the issuing body signed them. */
  document: Uint8Array;
  /** Its seed and field values, as the wallet received them. */
  secrets: DocumentSecrets;
  /** The BFF's binding of this document to this device. */
  binding: Uint8Array;
  /**
   * The card purpose or service the code is for: it discloses exactly the type's `visibility` for it. Absent:
   * no field, id 0 (the code proves only "a valid document of this type on this device").
   */
  purpose?: string;
  /** 64-byte device secret key (seed then public key); it never leaves the device. */
  deviceSecretKey: Uint8Array;
  /** Epoch ms from the device clock. */
  now: number;
  /** Fresh random bytes unless a test vector fixes them. */
  nonce?: Uint8Array;
  ed25519?: Ed25519;
  sha256?: Sha256;
}

/** What a document code holds besides its signature. */
export interface DocumentCodeFields {
  document: Uint8Array;
  binding: Uint8Array;
  /** Epoch ms; whole seconds on the wire. */
  timestamp: number;
  nonce: Uint8Array;
  purposeId: number;
  disclosure: SdDisclosure;
}

/** A decoded document code; not yet verified. */
export interface ParsedDocumentCode extends DocumentCodeFields {
  signature: Uint8Array;
  /** The CBOR bytes inside the base45 text (what a replay guard hashes). */
  bytes: Uint8Array;
}

/**
 * Makes the text of a document code, offline, with tweetnacl unless told otherwise. Throws TypeError when the
 * secrets are not the document's, the binding is for another document or device, or the type grants the
 * purpose nothing: a wallet never shows a code every verifier refuses.
 *
 * @example buildDocumentCode({ document, secrets, binding, purpose: 'vehicle_transfer', deviceSecretKey, now })
 */
export function buildDocumentCode(input: BuildDocumentCodeInput): string {
  const ed = input.ed25519 ?? tweetnaclEd25519;
  const sha = input.sha256 ?? portableSha256;
  const nonce = input.nonce ?? randomBytes(CODE_NONCE_LENGTH);
  if (nonce.length !== CODE_NONCE_LENGTH) throw new TypeError(`nonce must be ${CODE_NONCE_LENGTH} bytes`);
  const doc = decodeDocumentCredential(input.document);
  const tree = sdBuild(documentSdTree(doc.type, input.secrets), sha);
  if (!bytesEqual(tree.root, doc.claims.sdRoot))
    throw new TypeError('secrets do not belong to this document');
  const binding = decodeBinding(input.binding);
  if (!bytesEqual(binding.claims.documentDigest, documentDigest(input.document, sha))) {
    throw new TypeError('binding is for another document');
  }
  if (input.deviceSecretKey.length !== 64) throw new TypeError('device secret key must be 64 bytes');
  if (!bytesEqual(binding.claims.devicePublicKey, input.deviceSecretKey.subarray(32))) {
    throw new TypeError('binding is for another device');
  }
  let purposeId = 0;
  let fields: readonly string[] = [];
  if (input.purpose !== undefined) {
    const disclosed = documentDisclosureFor(doc.type, input.purpose);
    if (!disclosed) throw new TypeError(`${doc.type.name} grants ${input.purpose} no field`);
    fields = disclosed;
    purposeId = documentPurposeId(input.purpose)!;
  }
  return signDocumentCode(
    {
      document: input.document,
      binding: input.binding,
      timestamp: input.now,
      nonce,
      purposeId,
      disclosure: tree.disclose(documentSlots(doc.type, fields)),
    },
    input.deviceSecretKey,
    ed,
  );
}

/**
 * Encodes and signs the fields as given, unchecked (buildDocumentCode is the checked way): tests and vectors
 * use it for codes a lying device made.
 */
export function signDocumentCode(
  fields: DocumentCodeFields,
  deviceSecretKey: Uint8Array,
  ed25519: Ed25519,
): string {
  const { document, binding, nonce, purposeId, disclosure: d } = fields;
  const ts = Math.floor(fields.timestamp / 1000);
  const values = d.values as Map<number, CborValue>;
  const body = concatBytes(
    ...[document, binding, ts, nonce, purposeId, values, d.salts, d.proof].map((item) => cborEncode(item)),
  );
  const signature = ed25519.sign(deviceSecretKey, concatBytes(SIGNING_PREFIX, body));
  return DOCUMENT_CODE_PREFIX + base45Encode(concatBytes(cborHead(4, 9), body, cborEncode(signature)));
}

/** The bytes the device signs: CBOR `["EID document code v1", document, binding, ts, nonce, purposeId, values, salts, proof]`. */
export function documentCodeSigningInput(code: ParsedDocumentCode): Uint8Array {
  return concatBytes(SIGNING_PREFIX, code.bytes.subarray(1, code.bytes.length - SIGNATURE_TAIL));
}

/** Length of the shortest CBOR head of `argument` (what `cborHead(major, argument).length` is), unallocated. */
function headLength(argument: number): number {
  return argument < 24 ? 1 : argument < 0x100 ? 2 : argument < 0x10000 ? 3 : argument < 0x100000000 ? 5 : 9;
}

/**
 * The code's bytes of `values`, `salts` and `proof` (items 5-7), as they are in the code: the same for every code
 * a wallet makes of one document for one purpose, so a verifier can remember having opened them.
 */
export function documentCodeDisclosureBytes(code: ParsedDocumentCode): Uint8Array {
  const start =
    1 +
    headLength(code.document.length) +
    code.document.length +
    headLength(code.binding.length) +
    code.binding.length +
    headLength(code.timestamp / 1000) +
    1 +
    CODE_NONCE_LENGTH +
    headLength(code.purposeId);
  return code.bytes.subarray(start, code.bytes.length - SIGNATURE_TAIL);
}

function uint(v: unknown, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new CborShapeError(`${what} not uint`);
  }
  return v;
}

/** Parses the text of a document code; throws CborShapeError when it is not one (the verdict `malformed`). */
export function parseDocumentCode(text: string): ParsedDocumentCode {
  if (typeof text !== 'string' || !text.startsWith(DOCUMENT_CODE_PREFIX)) {
    throw new CborShapeError('missing document code prefix');
  }
  if (text.length > MAX_DOCUMENT_CODE_CHARS) throw new CborShapeError('document code too long');
  let bytes: Uint8Array;
  try {
    bytes = base45Decode(text.slice(DOCUMENT_CODE_PREFIX.length));
  } catch {
    throw new CborShapeError('document code is not base45');
  }
  const value = cborDecode(bytes);
  if (!Array.isArray(value) || value.length !== 9) throw new CborShapeError('document code is not a 9-array');
  const [document, binding, ts, nonce, purposeId, values, salts, proof, signature] = value as unknown[];
  if (!(document instanceof Uint8Array) || !(binding instanceof Uint8Array)) {
    throw new CborShapeError('document or binding is not bytes');
  }
  const timestamp = uint(ts, Math.floor(Number.MAX_SAFE_INTEGER / 1000), 'timestamp');
  if (!(nonce instanceof Uint8Array) || nonce.length !== CODE_NONCE_LENGTH)
    throw new CborShapeError('bad nonce');
  if (!(salts instanceof Uint8Array) || !(proof instanceof Uint8Array)) {
    throw new CborShapeError('salts or proof is not bytes');
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new CborShapeError('bad signature length');
  }
  return {
    document,
    binding,
    timestamp: timestamp * 1000,
    nonce,
    purposeId: uint(purposeId, MAX_DOCUMENT_PURPOSE_ID, 'purposeId'),
    disclosure: { values: sdValuesFrom(values), salts, proof },
    signature,
    bytes,
  };
}

/** True when the device signature of `code` verifies under `devicePublicKey` (the binding's device key). */
export function verifyDocumentCodeSignature(
  code: ParsedDocumentCode,
  devicePublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  // The code's own bytes between its array head and its signature are the signed items in order, so the
  // verifier re-encodes nothing (as code v2 does).
  return ed25519.verify(devicePublicKey, documentCodeSigningInput(code), code.signature);
}
