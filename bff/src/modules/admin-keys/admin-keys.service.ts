import type { NationalTrustList } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import { TRUST_ROOT_KID } from '../trust/trust.types';
import type { AdminKeysService } from './admin-keys.types';
import { keysReport, type HeldKey } from './report';

export interface AdminKeysDeps {
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  province: string;
  /** The federation's accepted national list, when there is one. */
  trustList: () => NationalTrustList | undefined;
}

/** The public halves the key store holds for this node, each under the use it serves. */
function heldKeys({ keys, province, logger }: AdminKeysDeps): HeldKey[] {
  const held: HeldKey[] = [];
  // A node configured without one kind of key (a national role, a test stack) still lists the others.
  const add = (
    use: HeldKey['use'],
    get: () => { kid: string; publicKey: Uint8Array; notAfter?: number }[],
  ) => {
    try {
      for (const k of get())
        held.push({
          use,
          kid: k.kid,
          publicKey: k.publicKey,
          ...(k.notAfter !== undefined && { notAfter: k.notAfter }),
        });
    } catch (err) {
      logger.warn({ use, err: (err as Error).message }, 'key not listed on the keys page');
    }
  };
  add('issuer', () =>
    keys
      .issuerKeys()
      .filter((k) => k.province === province)
      .map((k) => {
        const notAfter = keys.issuerKeyNotAfter(k.kid);
        return notAfter === undefined ? k : { ...k, notAfter };
      }),
  );
  add('node', () => keys.nodeKeys());
  add('witness', () => [{ kid: keys.witnessName(), publicKey: keys.witnessPublicKey() }]);
  add('trust_root', () => [{ kid: TRUST_ROOT_KID, publicKey: keys.trustRootPublicKey() }]);
  add('party_registry', () => [{ kid: keys.partyRegistryKid(), publicKey: keys.partyRegistryPublicKey() }]);
  add('callback', () => keys.callbackKeys());
  add('licence_client', () => [{ kid: keys.licenceClientKid(), publicKey: keys.licenceClientPublicKey() }]);
  return held;
}

/** This province's keys and the trust list, for the admin keys page (docs/admin.md "Keys"). */
export function createAdminKeysService(deps: AdminKeysDeps): AdminKeysService {
  return {
    report: () =>
      keysReport({
        now: deps.clock.now(),
        province: deps.province,
        held: heldKeys(deps),
        list: deps.trustList(),
      }),
  };
}
