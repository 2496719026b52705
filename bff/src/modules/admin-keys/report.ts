import {
  base64urlEncode,
  KEY_WARNING_DAYS,
  type NationalTrustList,
  type ProvinceKeyUse,
  type ProvinceKeyView,
  type ProvinceKeysView,
} from '@eid/shared';

const DAY_MS = 24 * 3600_000;

/** A key the key store holds, by its public half. */
export interface HeldKey {
  kid: string;
  use: ProvinceKeyUse;
  publicKey: Uint8Array;
  /** The end of its validity as configured here (EID_ISSUER_KEYS), when the trust list does not say. */
  notAfter?: number;
}

/** One key's line: its window from the trust list when listed there, days left and the warning. */
export function keyLine(key: HeldKey, now: number, list?: NationalTrustList): ProvinceKeyView {
  const listed = list?.keys.find((k) => k.kid === key.kid);
  // The national list is the authority when it lists the key; this node's own configuration otherwise.
  const notAfter = listed?.notAfter ?? key.notAfter;
  // Whole days, rounded down: a key ending in 89.9 days has 89 left, and is warned about.
  const daysLeft = notAfter === undefined ? null : Math.floor((notAfter - now) / DAY_MS);
  return {
    kid: key.kid,
    use: key.use,
    publicKey: base64urlEncode(key.publicKey),
    ...(listed && { notBefore: listed.notBefore, status: listed.status }),
    ...(notAfter !== undefined && { notAfter }),
    daysLeft,
    warning: daysLeft !== null && daysLeft < KEY_WARNING_DAYS,
  };
}

/**
 * The keys page's answer: every held key with its line (warnings first, then by use and kid), and the
 * accepted national list's provinces with their issuer kids.
 */
export function keysReport(input: {
  now: number;
  province: string;
  held: HeldKey[];
  list?: NationalTrustList;
}): ProvinceKeysView {
  const { now, province, held, list } = input;
  const keys = held
    .map((k) => keyLine(k, now, list))
    .sort(
      (a, b) =>
        Number(b.warning) - Number(a.warning) || a.use.localeCompare(b.use) || a.kid.localeCompare(b.kid),
    );
  return {
    generatedAt: now,
    province,
    keys,
    trustList: list
      ? {
          sequence: list.sequence,
          issuedAt: list.issuedAt,
          expiresAt: list.expiresAt,
          provinces: list.provinces.map((p) => ({
            province: p.province,
            name: p.name,
            issuerKids: list.keys
              .filter((k) => k.province === p.province && k.use === 'issuer')
              .map((k) => k.kid),
          })),
        }
      : null,
  };
}
