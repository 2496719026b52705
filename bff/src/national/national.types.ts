import type { Connection } from 'mongoose';
import type { FederationKey, FederationKeyUse } from '@eid/shared';
import type { Config } from '../config';
import type { Clock } from '../infra/clock';
import type { KeyStore } from '../infra/keystore';
import type { Logger } from '../infra/logger';

/** What the national role is built over: a node's infrastructure, without residents or stand-ins. */
export interface NationalDeps {
  config: Config;
  db: Connection;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  /** fetch, for the calls to province nodes (witness, push); a test may pass one that counts. */
  fetch?: typeof fetch;
}

/**
 * The operator's bearer secret when NATIONAL_OPERATOR_TOKEN is unset outside production: public, printed
 * here and in docs/federation.md, so it protects nothing (the boot warning says so).
 */
export const DEV_NATIONAL_OPERATOR_TOKEN = 'national-operator-DEVELOPMENT-ONLY-not-a-secret';

/** The key id the national root signs lists under (the list's `kid`; verifiers pin the key itself). */
export const NATIONAL_ROOT_KID = 'national-root-1';

/** A province as enrolled out of band (NATIONAL_PROVINCES, or the development provinces). */
export interface EnrolledProvince {
  province: string;
  name: string;
  /** The node's base URL, no trailing slash. */
  url: string;
  nodeKeys: { kid: string; publicKey: string }[];
  issuerKeys: { kid: string; publicKey: string }[];
  /** The province witness's C2SP verifier key (cosignature/v1). */
  witness: string;
}

/** A key of the registry: the list's entry plus where it came from (never published). */
export interface RegistryKey extends FederationKey {
  /** `enrolment` (out of band, at boot) or `submission:<id>` (approved by the operator). */
  source: string;
  /** A witness key's C2SP key name (`witness-37`): with the key, the verifier key of its cosignatures. */
  noteName?: string;
}

export type SubmissionState = 'pending' | 'approved' | 'rejected';

/** One key a province asks to have listed. */
export interface SubmittedKey {
  kid: string;
  use: FederationKeyUse;
  /** base64url raw 32-byte Ed25519. */
  publicKey: string;
  notBefore: number;
}

export interface Submission {
  id: string;
  /** The province whose current node key signed it: the only one whose keys it may add. */
  province: string;
  /** The node key that signed it. */
  signedBy: string;
  keys: SubmittedKey[];
  state: SubmissionState;
  submittedAt: number;
  decidedAt?: number;
  /** Why it was rejected (the operator's words). */
  reason?: string;
}

/** How one witness answered a publication. */
export interface WitnessOutcome {
  province: string;
  outcome: 'cosigned' | 'refused' | 'unreachable' | 'invalid';
  /** The witness's error code when it refused. */
  code?: string;
  reason?: string;
}

/** The result of one publication attempt. */
export interface PublishOutcome {
  published: boolean;
  sequence: number;
  treeSize: number;
  issuedAt: number;
  expiresAt: number;
  cosignatures: number;
  quorum: number;
  witnesses: WitnessOutcome[];
}

/** How one emergency push went. */
export interface PushOutcome {
  province: string;
  delivered: boolean;
  status?: number;
  code?: string;
}
