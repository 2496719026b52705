import type { Mocks } from '@eid/mock';
import {
  base64urlDecode,
  buildCodeV2,
  decodeHolderSecrets,
  findPurpose,
  signDeviceProof,
  type CardClaimName,
} from '@eid/shared';
import { nodeSha256 } from '@eid/bff/infra/ed25519';
import type { BffProcess } from './bff-process';
import { ed25519, newDevice, residentIdOf } from './card-flow';
import { enroll, freshPerson } from './identity';

/** A resident enrolled at the BFF process `p`, holding a card it issued to a new device. */
export async function holderAtProcess(p: BffProcess, mocks: Mocks) {
  const { token } = await enroll({ api: p.api, mocks }, freshPerson());
  const device = newDevice();
  const res = await p.api('POST', '/api/v1/card/issue', {
    token,
    body: {
      devicePublicKey: device.publicKey,
      deviceProof: signDeviceProof(device.keys, residentIdOf(token), Date.now(), ed25519),
    },
  });
  if (res.status !== 200) throw new Error(`card issue at ${p.url} answered ${res.status}`);
  return {
    token,
    device,
    credential: base64urlDecode(res.body.credential),
    secrets: decodeHolderSecrets(base64urlDecode(res.body.holderSecrets)),
    kid: res.body.card.kid as string,
  };
}

export type ProcessHolder = Awaited<ReturnType<typeof holderAtProcess>>;

/** A fresh code of `holder` made now, disclosing `disclose` for `purpose` (none: no purpose in the code). */
export function processHolderCode(
  holder: ProcessHolder,
  disclose: CardClaimName[] = [],
  purpose?: string,
): string {
  return buildCodeV2({
    credential: holder.credential,
    secrets: holder.secrets,
    disclose,
    ...(purpose ? { purposeId: findPurpose(purpose)!.id } : {}),
    deviceSecretKey: holder.device.keys.secretKey,
    now: Date.now(),
    ed25519,
    sha256: nodeSha256,
  });
}
