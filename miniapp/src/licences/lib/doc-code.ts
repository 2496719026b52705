import {
  AppError,
  base64urlDecode,
  buildDocumentCode,
  decodeDocumentSecrets,
  documentType,
  findPurpose,
  findService,
  signDeviceProof,
  type LicenceBinding,
  type WalletDocument,
} from '@eid/shared';
import { clock } from '../../lib/clock';
import { readStored, writeStored } from '../../lib/storage';
import { bindLicence } from '../../services/licences';
import { sessionStore } from '../../services/session';
import { ensureDeviceKey, loadWallet } from '../../wallet';
import { preparePlatformRandom } from '../../wallet/random';

/** A card purpose or document-call service a document's code may be shown for. */
export interface CodePurpose {
  code: string;
  zh: string;
  en: string;
  /** The fields a code for it discloses (the type's visibility). */
  fields: readonly string[];
}

/** What the type lets a code disclose, by purpose or service: the type's `visibility`, in its order. */
export function codePurposes(type: string): CodePurpose[] {
  const t = documentType(type);
  if (!t) return [];
  return Object.entries(t.visibility).flatMap(([code, fields]) => {
    const named = findPurpose(code) ?? findService(code);
    return named ? [{ code, zh: named.zh, en: named.en, fields }] : [];
  });
}

interface HeldBinding extends LicenceBinding {
  /** The credential the binding is for: a renewed document needs a new one. */
  credential: string;
  /** The device key it names. */
  devicePublicKey: string;
}

const KEY = 'licences.bindings';
// Asked for again well before it lapses, so a code shown at a window is never made with an expiring one.
const RENEW_BEFORE_MS = 24 * 3_600_000;

function held(): Record<string, HeldBinding> {
  return readStored<Record<string, HeldBinding>>(KEY) ?? {};
}

/**
 * The binding of `doc` to this device: the one kept on the device while it is for this credential and key
 * and not about to lapse, else a new one from the BFF (after proving the device key).
 */
export async function bindingFor(doc: WalletDocument): Promise<HeldBinding> {
  await preparePlatformRandom();
  const device = await ensureDeviceKey();
  const kept = held()[doc.id];
  const now = clock.now();
  if (
    kept &&
    kept.credential === doc.credential &&
    kept.devicePublicKey === device.devicePublicKey &&
    kept.expiresAt - now > RENEW_BEFORE_MS
  ) {
    return kept;
  }
  const residentId = sessionStore.get().tokens?.residentId;
  if (!residentId) throw new AppError('UNAUTHENTICATED', 'Sign in before showing a document');
  const proof = signDeviceProof(
    {
      publicKey: base64urlDecode(device.devicePublicKey),
      secretKey: base64urlDecode(device.deviceSecretKey),
    },
    residentId,
    now,
  );
  const answer = await bindLicence(doc.id, device.devicePublicKey, proof);
  const next: HeldBinding = {
    ...answer,
    credential: doc.credential,
    devicePublicKey: device.devicePublicKey,
  };
  writeStored(KEY, { ...held(), [doc.id]: next });
  return next;
}

/**
 * The text of a fresh document code, made on the device without the network: the document, its binding, the
 * time, a nonce, exactly the fields `purpose` may read, and the device's signature.
 *
 * @example makeDocumentCode(doc, binding, 'vehicle_transfer', clock.now()) // 'EIDD1:…'
 */
export function makeDocumentCode(
  doc: WalletDocument,
  binding: Pick<HeldBinding, 'binding'>,
  purpose: string,
  now: number,
): string {
  const t = documentType(doc.type);
  const device = loadWallet();
  if (!t || !device) throw new Error('Nothing to make a code with');
  return buildDocumentCode({
    document: base64urlDecode(doc.credential),
    secrets: decodeDocumentSecrets(t, base64urlDecode(doc.secrets)),
    binding: base64urlDecode(binding.binding),
    purpose,
    deviceSecretKey: base64urlDecode(device.deviceSecretKey),
    now,
  });
}
