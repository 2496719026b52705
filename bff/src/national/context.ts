import { randomBytes } from 'node:crypto';
import type { Leases } from '../infra/lease';
import type { ReplayStore } from '../infra/replay-store';
import type { NationalRepository } from './national.repository';
import type { EnrolledProvince, NationalDeps } from './national.types';

/** Everything a national use case works with, built once per process by createNationalServices. */
export interface NationalContext {
  deps: NationalDeps;
  repo: NationalRepository;
  provinces: readonly EnrolledProvince[];
  /** The log's C2SP verifier key (what nodes pin as FEDERATION_LOG_KEY). */
  logKey: string;
  fetch: typeof fetch;
  leases: Leases;
  replays: ReplayStore;
  /** This process's name in the publication lease. */
  holder: string;
  /** The log's leaves this process has read, in order (leaves never change once written). */
  leafCache: Uint8Array[];
}

/** A lease holder name unique to this process. */
export const processHolder = (): string => `national-${process.pid}-${randomBytes(4).toString('hex')}`;
