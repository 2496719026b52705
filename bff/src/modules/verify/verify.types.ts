/**
 * What other modules may use of the verify module: the verifier the relying-party verify (rp-verify)
 * builds on. The rp-verify helper narrows this to the contract it needs.
 */
export type { VerifyService } from './verify.service';
