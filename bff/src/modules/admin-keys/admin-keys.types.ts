/**
 * What other modules may use of the admin-keys module (issue 19 §7): this province's keys and their ends,
 * and the trust list it holds, for the admin pages. Public halves only.
 */
import type { ProvinceKeysView } from '@eid/shared';

export interface AdminKeysService {
  report(): ProvinceKeysView;
}
