import type { Checkpoint, CheckpointCosignature } from '../tlog';

/** What a key in the national trust list is for (docs/formats/national-trust-list.md). */
export type FederationKeyUse = 'issuer' | 'node' | 'witness';

/** A key's state; it only moves forward: active, then retired (with an overlap), then maybe compromised. */
export type FederationKeyStatus = 'active' | 'retired' | 'compromised';

/** One event in a key's life; the list keeps every one, so a compromise stays visible with when and why. */
export interface FederationKeyEvent {
  /** Epoch ms. */
  at: number;
  status: FederationKeyStatus;
  reason?: string;
}

/** A province key as the national list publishes it. */
export interface FederationKey {
  /** Unique in the whole list. */
  kid: string;
  /** Two-digit province code. */
  province: string;
  use: FederationKeyUse;
  /** base64url (no padding) of the raw 32-byte Ed25519 public key; strict (isStrictEd25519PublicKey). */
  publicKey: string;
  /** Epoch ms: credentials and requests signed before it are refused. */
  notBefore: number;
  /** Epoch ms, the end of a retirement's overlap: credentials and requests signed after it are refused. */
  notAfter?: number;
  status: FederationKeyStatus;
  /** Never shortened; ordered by time; its last entry is `status`. */
  history: FederationKeyEvent[];
}

/** A province node of the federation. */
export interface ProvinceNode {
  /** Two-digit province code, unique in the list. */
  province: string;
  /** The province's name as residents read it (山东省). */
  name: string;
  /** The node's base URL (http or https, no query or fragment). */
  url: string;
}

/** The national trust list, version 2: what the national root signs (as canonical JSON). */
export interface NationalTrustList {
  v: 2;
  /** Increases with every publication; a verifier never goes back to a lower one. */
  sequence: number;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms, about 48 hours after issuedAt. */
  expiresAt: number;
  provinces: ProvinceNode[];
  keys: FederationKey[];
}

/** canonicalJson(list) signed by the national root key (Ed25519, see NATIONAL_TRUST_LIST_CONTEXT). */
export interface SignedTrustList {
  /** The canonical JSON text, exactly as signed. */
  list: string;
  /** The root key's id: a hint only, the verifier pins the key itself. */
  kid: string;
  /** base64url (no padding) of the 64-byte Ed25519 signature. */
  signature: string;
}

/** What nodes and terminals fetch (GET /api/v1/national/trust-bundle). */
export interface TrustBundle {
  signed: SignedTrustList;
  /** C2SP checkpoint note: the national log's signature and witness cosignatures. */
  checkpoint: string;
  /** Inclusion of the leaf utf8(signed.list) at `index` (the checkpoint's newest leaf); hashes base64. */
  inclusion: { index: number; hashes: string[] };
  /** When the fetcher said ?from=<size>: the consistency proof from that size to the checkpoint's; base64. */
  consistency?: { fromSize: number; hashes: string[] };
}

/** What a verifier pins (its configuration file), never taken from the list itself. */
export interface BundleTrust {
  /** The national root's raw 32-byte Ed25519 public key. */
  rootPublicKey: Uint8Array;
  /** C2SP verifier key of the national log (type 0x01). */
  logVerifierKey: string;
  /** C2SP verifier keys (type 0x04) of the witnesses whose cosignatures count. */
  witnessVerifierKeys: string[];
  /** Distinct pinned witnesses whose valid cosignature a checkpoint needs (at least 1). */
  quorum: number;
  /** Clock skew allowed on issuedAt and expiresAt (and cosignature times), ms; 5 minutes. */
  skewMs: number;
  /** The log's checkpoint origin line; default: the log verifier key's name (the C2SP convention). */
  origin?: string;
}

/** The last bundle a verifier accepted: what the next one is checked against. */
export interface BundleState {
  sequence: number;
  treeSize: number;
  /** base64 of the 32-byte root hash. */
  rootHash: string;
  /**
   * base64 of the leaf hash of the accepted list (merkleLeafHash(utf8(list))): lets an equal sequence in
   * a larger tree pass when the bytes are the same. openTrustBundle always sets it; optional on input.
   */
  listHash?: string;
}

/** openTrustBundle's answer. */
export interface OpenedTrustBundle {
  list: NationalTrustList;
  /** The state to store in place of `last` (compare-and-set on it). */
  state: BundleState;
  checkpoint: Checkpoint;
  /** The pinned witnesses' counted cosignatures. */
  cosignatures: CheckpointCosignature[];
}

/** One province's signed status list as a terminal bundle carries it. */
export interface TerminalStatusList {
  province: string;
  /** The issuer key whose status list this is. */
  kid: string;
  /** base64url (no padding) of the signed status list bytes (docs/formats/status-list.md). */
  list: string;
  /** Epoch ms when the serving node fetched (or, for its own, signed) it. */
  fetchedAt: number;
}

/** Terminal bundle: the trust bundle and every province's status lists (GET /api/v1/federation/terminal-bundle). */
export interface TerminalBundle {
  trust: TrustBundle;
  statusLists: TerminalStatusList[];
}
