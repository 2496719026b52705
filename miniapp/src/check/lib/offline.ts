import {
  base64urlDecode,
  licenceTextKid,
  licenceVerifyAnswer,
  openLicenceIssuerList,
  openLicenceStatusList,
  openTrustList,
  tweetnaclEd25519,
  verifyLicenceText,
  type LicenceIssuersAnswer,
  type LicenceVerifyAnswer,
  type StatusList,
  type StatusListAnswer,
  type TrustListAnswer,
} from '@eid/shared';
import { clock } from '../../lib/clock';
import { readStored, writeStored } from '../../lib/storage';
import { trustRootPublicKey } from '../../lib/trust-root';
import { getLicenceStatusList } from '../../services/check';
import { getLicenceIssuers } from '../../services/licences';
import { getTrustList } from '../../services/staff';

/**
 * What the public check page keeps on the device to check offline: the trust list and the licence-issuer
 * list (both signed by the pinned root, fetched when the page opens) and the status list of each issuing
 * body whose document was checked online here (fetched after that check). Each is verified before it is
 * kept and again when it is used; a verdict without a fresh status list is `status_unknown` with its age.
 */

const TRUST_KEY = 'check.trustList';
const ISSUERS_KEY = 'check.licenceIssuers';
const statusKey = (kid: string) => `check.status.${kid}`;

interface Saved<T> {
  answer: T;
  /** Epoch ms. */
  fetchedAt: number;
}

const ed = tweetnaclEd25519;

/** Fetches the trust list and the licence-issuer list, and keeps them if they verify under the pinned root. */
export async function refreshTrust(): Promise<void> {
  const [trust, issuers] = await Promise.all([getTrustList(), getLicenceIssuers()]);
  const root = trustRootPublicKey();
  openTrustList(base64urlDecode(trust.trustList), root, ed);
  openLicenceIssuerList(base64urlDecode(issuers.licenceIssuers), root, ed, { now: clock.now() });
  const fetchedAt = clock.now();
  writeStored(TRUST_KEY, { answer: trust, fetchedAt } satisfies Saved<TrustListAnswer>);
  writeStored(ISSUERS_KEY, { answer: issuers, fetchedAt } satisfies Saved<LicenceIssuersAnswer>);
}

function openLists() {
  const trust = readStored<Saved<TrustListAnswer>>(TRUST_KEY);
  const issuers = readStored<Saved<LicenceIssuersAnswer>>(ISSUERS_KEY);
  if (!trust || !issuers) return undefined;
  const root = trustRootPublicKey();
  try {
    return {
      trustList: openTrustList(base64urlDecode(trust.answer.trustList), root, ed),
      // Not refused for its age here: an expired list makes the verdict `unknown_issuer`, as it should.
      licenceIssuers: openLicenceIssuerList(base64urlDecode(issuers.answer.licenceIssuers), root, ed),
    };
  } catch {
    return undefined;
  }
}

/** Fetches and keeps the status list of the body that issued the document in `text` (after an online check). */
export async function refreshStatusFor(text: string): Promise<void> {
  const kid = licenceTextKid(text);
  const lists = kid ? openLists() : undefined;
  if (!kid || !lists) return;
  const answer = await getLicenceStatusList(kid);
  openLicenceStatusList(base64urlDecode(answer.statusList), lists.licenceIssuers, ed);
  writeStored(statusKey(kid), { answer, fetchedAt: clock.now() } satisfies Saved<StatusListAnswer>);
}

/**
 * Checks a code or an annotated payload with what the device keeps (shared/src/licence/verify.ts), or
 * undefined when it keeps no verified trust and licence-issuer lists.
 */
export function verifyOffline(text: string): LicenceVerifyAnswer | undefined {
  const lists = openLists();
  if (!lists) return undefined;
  const statusLists = new Map<string, StatusList>();
  const kid = licenceTextKid(text);
  const saved = kid ? readStored<Saved<StatusListAnswer>>(statusKey(kid)) : undefined;
  if (kid && saved) {
    try {
      statusLists.set(
        kid,
        openLicenceStatusList(base64urlDecode(saved.answer.statusList), lists.licenceIssuers, ed),
      );
    } catch {
      // A kept list that no longer verifies counts as none: the verdict says the status is unknown.
    }
  }
  return licenceVerifyAnswer(verifyLicenceText(text, { ...lists, statusLists, clock }));
}
