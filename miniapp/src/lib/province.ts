/**
 * Which province's node the H5 pages talk to (`npm start -- --federation`, docs/federation.md "Running
 * it"). The page's own server proxies the API and the stand-ins to one node, chosen by the `eid_province`
 * cookie; the node itself says who it is (GET /api/v1/federation/state). A mini-program in the super-app
 * talks to its own province's node only, so this is H5's alone.
 */
import { request } from '../services/request';
import { endSession } from '../services/session';

export const PROVINCE_COOKIE = 'eid_province';

export interface ProvinceChoice {
  /** The node answering now. */
  current: { province: string; name: string };
  /** Every province of the national list, this one included. */
  provinces: { province: string; name: string }[];
}

interface StateAnswer {
  province: string;
  name?: string;
  provinces?: { province: string; name: string }[];
}

/** The node's province and the list's others; undefined for a node outside a federation (or no answer). */
export async function provinceChoice(): Promise<ProvinceChoice | undefined> {
  if (process.env.TARO_ENV !== 'h5') return undefined;
  const state = await request<StateAnswer>({ path: '/api/v1/federation/state', auth: 'none' }).catch(
    () => undefined,
  );
  if (!state?.name || !state.provinces || state.provinces.length < 2) return undefined;
  return { current: { province: state.province, name: state.name }, provinces: state.provinces };
}

/**
 * Talks to `province`'s node from now on. A session belongs to the node that opened it (its tokens mean
 * nothing elsewhere), so this one ends here, without a visit to the other province, and the page starts
 * again at the welcome page.
 */
export function switchProvince(province: string): void {
  if (!/^\d{2}$/.test(province)) return;
  endSession('signed_out', { navigate: false });
  document.cookie = `${PROVINCE_COOKIE}=${province}; path=/; SameSite=Strict`;
  window.location.hash = '';
  window.location.reload();
}
