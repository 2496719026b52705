/**
 * What other modules may use of the federation module (issue 18, docs/federation.md): the accepted national
 * trust list, the signed node-to-node client, the guard of node routes, and the peers' status lists.
 * Implemented by federation.service.ts; app.ts passes it in as deps.
 */
import type { Middleware } from 'koa';
import type { NationalTrustList, TerminalBundle, TrustBundle } from '@eid/shared';
import type { IssuerSource } from '../trust/trust.types';

/** The split view this node recorded: two national checkpoints that cannot both be honest. */
export interface SplitViewRecord {
  detectedAt: number;
  /** Where the other checkpoint came from: a peer province's gossip, or the witness endpoint. */
  source: { kind: 'peer'; province: string } | { kind: 'witness' } | { kind: 'bundle' };
  /** Why they conflict: `same_size_other_root`, or `not_an_extension` (a consistency proof failed). */
  reason: 'same_size_other_root' | 'not_an_extension';
  /** This node's checkpoint note. */
  ours: string;
  /** The conflicting checkpoint note. */
  theirs: string;
  /** The national's current checkpoint note when its consistency proof to one of them failed. */
  national?: string;
}

/** `GET /api/v1/federation/state`. */
export interface FederationStateView {
  province: string;
  /** This province's name in the held list (山东省), for pages that say which node they talk to. */
  name?: string;
  /** Every province of the held list, by code and name (no URLs: a page switches through its own server). */
  provinces?: { province: string; name: string }[];
  /** Absent until a list is accepted. */
  sequence?: number;
  treeSize?: number;
  /** base64 of the accepted checkpoint's root hash. */
  rootHash?: string;
  acceptedAt?: number;
  expiresAt?: number;
  /** The last checkpoint this node cosigned as a witness. */
  witnessed?: { treeSize: number; rootHash: string; at: number };
  splitView?: SplitViewRecord;
}

/** The list this node holds now, as accepted (openTrustBundle) and stored. */
export interface AcceptedList {
  list: NationalTrustList;
  bundle: TrustBundle;
  sequence: number;
  treeSize: number;
  /** base64 */
  rootHash: string;
  acceptedAt: number;
}

/** Who signed a node request (set on ctx.state.node by requireNodeSignature). */
export interface VerifiedNodeRequest {
  province: string;
  kid: string;
  /** The request signature's nonce: the signed answer binds to it. */
  nonce: string;
}

/** A verified answer of a peer node (its signature checked under the peer's node key from the list). */
export interface NodeAnswer<T = unknown> {
  status: number;
  body: T;
  /** The node key that signed the answer. */
  kid: string;
}

export interface NodeCallOptions {
  /**
   * Retried with exponential backoff on a timeout, a refused connection or a 5xx. True by default for GET;
   * a POST is retried only when the caller says repeating it changes nothing.
   */
  idempotent?: boolean;
}

export interface NodeClient {
  /**
   * One signed call to the node of `province` (its URL from the accepted list): RFC 9421 signed with this
   * node's key, the answer's signature verified under the peer's node keys from the list. Answers any
   * verified status below 500. Throws AppError UPSTREAM_UNAVAILABLE (`details.reason` `timeout`,
   * `unreachable`, `server_error`, `circuit_open`) when the peer cannot answer, NODE_SIGNATURE_INVALID when
   * the answer is not signed as the profile says, FEDERATION_NOT_CONFIGURED when there is no list or no
   * such province in it.
   *
   * @example const { status, body } = await nodeClient.call('37', 'POST', '/api/v1/federation/verify', { ... });
   */
  call<T = unknown>(
    province: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: NodeCallOptions,
  ): Promise<NodeAnswer<T>>;
  /** The state of the circuit breaker of a peer (`closed` until it has failed). */
  circuitOf(province: string): 'closed' | 'open' | 'half-open' | 'isolated';
}

/** One peer's status list as this node last fetched and verified it. */
export interface PeerStatusList {
  province: string;
  kid: string;
  /** The signed status list bytes (docs/formats/status-list.md). */
  bytes: Uint8Array;
  /** Issue time inside the list, epoch ms. */
  issuedAt: number;
  /** When this node last had it confirmed by the peer (200 or 304), epoch ms. */
  fetchedAt: number;
}

/** What one refresh did: a new list, the same one, a refusal (with its reason), or no answer. */
export type RefreshOutcome =
  | { outcome: 'accepted' | 'unchanged'; sequence: number }
  | { outcome: 'refused' | 'unreachable'; code: string; reason?: string };

export interface FederationService {
  /** True when FEDERATION_NATIONAL_URL is set. */
  readonly enabled: boolean;
  /** What the trust module adds to this node's own issuers (trust.types.ts IssuerSource). */
  issuerSource: IssuerSource;
  /** The accepted list, or undefined (not federated, or nothing accepted yet). */
  current(): AcceptedList | undefined;
  /** A province's name in the accepted list (湖北省), or its code when the list does not name it. */
  provinceName(province: string): string;
  state(): Promise<FederationStateView>;
  nodeClient: NodeClient;
  /** The guard of `/api/v1/federation/node/*` routes: a verified node signature in, a signed answer out. */
  requireNodeSignature(): Middleware;
  /** The peer's status list of `kid` as last fetched, or undefined. */
  peerStatusList(kid: string): Promise<PeerStatusList | undefined>;
  terminalBundle(): Promise<TerminalBundle>;
  /**
   * Fetches the national bundle now and accepts it as a push would be; a refusal or an unreachable national
   * keeps the held list and is logged and answered as the outcome. Used by the timer, at start, and by tests.
   */
  refresh(): Promise<RefreshOutcome | undefined>;
  /** Asks every peer for its checkpoint and checks it against ours; never throws (logged). */
  gossip(): Promise<void>;
  /** Fetches every peer's status lists; never throws (logged). */
  fetchPeerStatusLists(): Promise<void>;
  /**
   * Clears a recorded split view once an operator has looked at it (the record is kept as cleared, with who
   * and why); the node then accepts lists again, and records anew if the national still shows a fork.
   */
  clearSplitView(by: { staffId: string; reason: string }): Promise<SplitViewRecord | undefined>;
  /** Reads the list another process of this node stored (a push it received) and applies it. */
  reload(): Promise<void>;
  /** Starts the timers (background.ts); the returned function stops them and waits for the runs in flight. */
  start(): () => Promise<void>;
}
