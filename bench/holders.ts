/**
 * Residents with cards for the HTTP benches (scale.bench.ts, federation.bench.ts): a first card issued
 * over HTTP on a new device, and v2 hotel check-in codes of such holders taking turns.
 */
import {
  base64urlDecode,
  buildCodeV2,
  decodeHolderSecrets,
  findPurpose,
  signDeviceProof,
  type HolderSecrets,
} from '@eid/shared';
import { nodeSha256 } from '../bff/src/infra/ed25519';
import { newDevice, residentIdOf } from '../test/helpers/card-flow';
import type { client } from '../test/helpers/http';
import { codeSigner, ed, PURPOSE } from './card/common';

/** What a wallet keeps of its card: enough to make codes. */
export interface Holder {
  credential: Uint8Array;
  secrets: HolderSecrets;
  deviceSecretKey: Uint8Array;
}

/** `POST /api/v1/card/issue` for the resident signed in with `token`, on a new device; `at` names the node. */
export async function issueCard(api: ReturnType<typeof client>, token: string, at = 'bff'): Promise<Holder> {
  const device = newDevice();
  const res = await api('POST', '/api/v1/card/issue', {
    token,
    body: {
      devicePublicKey: device.publicKey,
      deviceProof: signDeviceProof(device.keys, residentIdOf(token), Date.now(), ed),
    },
  });
  if (res.status !== 200) throw new Error(`card issue at ${at}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    credential: base64urlDecode(res.body.credential),
    secrets: decodeHolderSecrets(base64urlDecode(res.body.holderSecrets)),
    deviceSecretKey: device.keys.secretKey,
  };
}

/** Makes `n` hotel check-in codes at a time, of `holders` in turn, stamped with the time they are made. */
export function hotelCodes(holders: Holder[]): (n: number) => string[] {
  const purpose = findPurpose(PURPOSE)!;
  let turn = 0;
  return (n) => {
    const now = Date.now();
    return Array.from({ length: n }, () =>
      buildCodeV2({
        ...holders[turn++ % holders.length]!,
        disclose: purpose.claims,
        purposeId: purpose.id,
        now,
        ed25519: codeSigner,
        sha256: nodeSha256,
      }),
    );
  };
}
