import { STAFF_ROLES, type StaffRole } from '@eid/shared';

/**
 * Which roles may do each kind of staff work: the one table every staff guard reads (app.ts passes
 * `CAPABILITIES.<work>` to `staff.requireStaff`) and the role-matrix test checks through HTTP.
 *
 * Separation of duties (issue 19 §1): the administrator manages accounts, parties and keys but reads no
 * resident data; the auditor reads the audit but reveals no personal field; window work and decisions on
 * residents are the officer's and supervisor's. A role that is not listed for a kind of work is refused it
 * with 403 FORBIDDEN.
 */
export const CAPABILITIES = {
  /** One's own profile and second factor. */
  self: STAFF_ROLES,
  /** Verifying codes, document calls, the offline bundle: window work. */
  window: ['officer', 'supervisor'],
  /** Looking a resident up (blind index, stated reason) and revealing a field. */
  lookup: ['officer', 'supervisor'],
  /** Suspending, revoking, restoring a card; the enrolment review queue; deferring a disclosure. */
  decide: ['supervisor'],
  /** Searching the usage trace, verifying chains, exporting, answering a resident's question. */
  audit: ['auditor'],
  /** The dashboard's counts (no personal data). */
  dashboard: ['supervisor', 'auditor', 'administrator'],
  /** Staff accounts and their sessions. */
  accounts: ['administrator'],
  /** Relying parties, their keys and callbacks. */
  parties: ['administrator'],
  /** The federation's operator work at this node: clearing a recorded split view. */
  trust: ['administrator'],
  /** This province's keys and the trust list, read-only. */
  keys: ['administrator', 'auditor'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Capability = keyof typeof CAPABILITIES;
