import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  deviceProofProblem,
  documentDigest,
  signBinding,
  type DeviceProof,
  type LicenceBinding,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import { residentActor } from '../usage/usage.types';
import { WALLET_PURPOSE, openDocument, type LicenceDeps } from './deps';

/** How long a binding lets the device show the document before it asks for a new one. */
export const BINDING_TTL_MS = 30 * 24 * 3_600_000;

const PROBLEM_MESSAGES = {
  weak_key: 'The device key is not an acceptable Ed25519 public key',
  clock: "The device's clock is too far from the server's",
  proof: 'The device did not prove it holds this key',
} as const;

/**
 * Signs, with this node's province issuer key, that the device key may show one stored document
 * (docs/formats/licence-codes.md, "Device binding"), once the device proved it holds the key for this
 * resident just now. NOT_FOUND for a document that is not in the resident's wallet.
 */
export async function bindDocument(
  deps: LicenceDeps,
  residentId: string,
  walletId: string,
  body: { devicePublicKey: string; deviceProof: DeviceProof },
  requestId?: string,
): Promise<LicenceBinding> {
  const row = await deps.repo.documentOf(residentId, walletId);
  if (!row) throw new AppError('NOT_FOUND', 'No such document in your wallet');
  const now = deps.clock.now();
  const deviceKey = base64urlDecode(body.devicePublicKey);
  const problem = deviceProofProblem(body.deviceProof, residentId, deviceKey, now, deps.ed25519);
  if (problem) throw new AppError('DEVICE_KEY_INVALID', PROBLEM_MESSAGES[problem], { reason: problem });
  const doc = openDocument(deps.keys, row);
  const kid = deps.keys.activeIssuerKid();
  const province = deps.keys.issuerKeys().find((k) => k.kid === kid)!.province;
  const issuedAt = Math.floor(now / 1000) * 1000;
  const expiresAt = issuedAt + BINDING_TTL_MS;
  const binding = signBinding(
    kid,
    {
      province,
      issuedAt,
      expiresAt,
      documentDigest: documentDigest(base64urlDecode(doc.credential), nodeSha256),
      devicePublicKey: deviceKey,
    },
    (tbs) => deps.keys.signAsIssuer(kid, tbs),
  );
  await deps.usage
    .disclosure({ residentId, actor: residentActor(residentId), purpose: WALLET_PURPOSE, requestId })
    .record({ action: 'licence.binding', detail: { type: doc.type } });
  return { binding: base64urlEncode(binding), kid, issuedAt, expiresAt };
}
