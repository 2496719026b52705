import { tweetnaclEd25519, type Ed25519 } from '../crypto/ed25519';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { toHex } from '../encoding/bytes';
import { parseCheckpoint, type Checkpoint } from './checkpoint';
import { cosignatureTimestamp, cosignatureVerifier } from './cosignature';
import { TlogError } from './errors';
import {
  ed25519NoteVerifier,
  formatNoteKeyId,
  NOTE_MIN_SIGNATURE_LIMIT,
  NOTE_MAX_SIGNATURES,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  NOTE_SIGNATURE_TYPE_ED25519,
  noteVerifierMap,
  openNote,
  parseVerifierKey,
  type NoteVerifier,
  type NoteVerifierKey,
} from './note';

/** Default bound on how far in the verifier's future a cosignature may be dated and still count. */
export const COSIGNATURE_MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** What a relying node or terminal accepts: one log, its keys, the witnesses it trusts and how many must agree. */
export interface CheckpointPolicy {
  /** The checkpoint origin line the log must use. */
  origin: string;
  /** The log's verifier keys (signature type 0x01); two during a key rotation. */
  logKeys: readonly (string | NoteVerifierKey)[];
  /** The witnesses' cosignature verifier keys (type 0x04). */
  witnesses: readonly (string | NoteVerifierKey)[];
  /**
   * Distinct witnesses whose valid cosignature a checkpoint must carry. More than half the witnesses makes a
   * split view impossible without an honest witness cosigning both sides, which an honest one never does.
   */
  quorum: number;
  /** Cosignatures dated later than `now` plus this are not counted; default COSIGNATURE_MAX_FUTURE_SKEW_MS. */
  maxFutureSkewMs?: number;
  /** Signature lines a note may carry (≥ 16); default NOTE_MAX_SIGNATURES. */
  maxSignatures?: number;
}

/** A cosignature that verified, with its cosigner's time (POSIX seconds). */
export interface CheckpointCosignature {
  name: string;
  keyId: number;
  timestamp: number;
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  /** The checkpoint's note text, as signed. */
  text: string;
  /** The log keys whose signature verified. */
  logSigners: { name: string; keyId: number }[];
  /** Counted cosignatures, one per witness, in note order. */
  cosignatures: CheckpointCosignature[];
  /** Cosignatures that verified but are dated beyond the allowed skew: not counted. */
  futureCosignatures: CheckpointCosignature[];
}

export interface CheckpointVerifier {
  readonly origin: string;
  readonly quorum: number;
  /**
   * Verifies a cosigned checkpoint note at `now` (epoch ms, the injected clock); throws TlogError:
   * `malformed_note` and the other note reasons, `no_known_signature` when the log did not sign,
   * `malformed_checkpoint` / `empty_tree_root`, `wrong_origin`, `quorum_not_met`.
   */
  verify(note: string | Uint8Array, now: number): VerifiedCheckpoint;
}

function invalid(message: string): never {
  throw new TlogError('invalid_policy', message);
}

function keyOf(k: string | NoteVerifierKey, sha256: Sha256): NoteVerifierKey {
  return typeof k === 'string' ? parseVerifierKey(k, sha256) : k;
}

/**
 * Compiles a policy once (keys parsed and checked, verifiers built) into a verifier to call per note.
 * Refuses a policy (`invalid_policy`) with no log key, a key of the wrong type, one public key serving two
 * roles (cosigned messages do not name the cosigner, so a shared key would count twice), or a quorum
 * outside 0..witnesses.
 *
 * @example createCheckpointVerifier({ origin, logKeys: [LOG_VKEY], witnesses: WITNESS_VKEYS, quorum: 2 }).verify(note, clock.now())
 */
export function createCheckpointVerifier(
  policy: CheckpointPolicy,
  options: { ed25519?: Ed25519; sha256?: Sha256 } = {},
): CheckpointVerifier {
  const ed25519 = options.ed25519 ?? tweetnaclEd25519;
  const sha256 = options.sha256 ?? portableSha256;
  const { origin, quorum } = policy;
  const maxFutureSkewMs = policy.maxFutureSkewMs ?? COSIGNATURE_MAX_FUTURE_SKEW_MS;
  const maxSignatures = policy.maxSignatures ?? NOTE_MAX_SIGNATURES;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n'))
    invalid('an origin is one line');
  if (!Number.isSafeInteger(maxFutureSkewMs) || maxFutureSkewMs < 0)
    invalid('the skew is a non-negative integer');
  if (!Number.isSafeInteger(maxSignatures) || maxSignatures < NOTE_MIN_SIGNATURE_LIMIT)
    invalid(`a verifier accepts at least ${NOTE_MIN_SIGNATURE_LIMIT} signatures`);
  const logKeys = policy.logKeys.map((k) => keyOf(k, sha256));
  const witnessKeys = policy.witnesses.map((k) => keyOf(k, sha256));
  if (logKeys.length === 0) invalid('a policy names at least one log key');
  if (logKeys.some((k) => k.type !== NOTE_SIGNATURE_TYPE_ED25519)) invalid('log keys are of type 0x01');
  if (witnessKeys.some((k) => k.type !== NOTE_SIGNATURE_TYPE_COSIGNATURE_V1))
    invalid('witness keys are of type 0x04');
  const publicKeys = new Set([...logKeys, ...witnessKeys].map((k) => toHex(k.publicKey)));
  if (publicKeys.size !== logKeys.length + witnessKeys.length) invalid('one public key serves two roles');
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnessKeys.length)
    invalid(`a quorum is between 0 and the ${witnessKeys.length} witnesses`);

  const pair = (name: string, keyId: number) => `${name}+${formatNoteKeyId(keyId)}`;
  const logPairs = new Set(logKeys.map((k) => pair(k.name, k.keyId)));
  const verifiers: NoteVerifier[] = [
    ...logKeys.map((k) => ed25519NoteVerifier(k, ed25519)),
    ...witnessKeys.map((k) => cosignatureVerifier(k, ed25519)),
  ];
  // Also refuses two witnesses of one (name, key ID) as ambiguous.
  const known = noteVerifierMap(verifiers);

  return {
    origin,
    quorum,
    verify(note, now) {
      if (!Number.isFinite(now)) throw new TypeError('now is epoch milliseconds');
      const opened = openNote(note, known, maxSignatures);
      const logSigners = opened.verified
        .filter((s) => logPairs.has(pair(s.name, s.keyId)))
        .map(({ name, keyId }) => ({ name, keyId }));
      if (logSigners.length === 0)
        throw new TlogError('no_known_signature', 'the log did not sign the checkpoint');
      const checkpoint = parseCheckpoint(opened.text);
      if (checkpoint.origin !== origin)
        throw new TlogError('wrong_origin', 'the checkpoint is of another log than the one configured');
      const cosignatures: CheckpointCosignature[] = [];
      const futureCosignatures: CheckpointCosignature[] = [];
      for (const s of opened.verified) {
        if (logPairs.has(pair(s.name, s.keyId))) continue;
        // A verified 0x04 signature always has a readable timestamp (the verifier checked it).
        const c = { name: s.name, keyId: s.keyId, timestamp: cosignatureTimestamp(s.signature)! };
        (c.timestamp * 1000 > now + maxFutureSkewMs ? futureCosignatures : cosignatures).push(c);
      }
      if (cosignatures.length < quorum)
        throw new TlogError(
          'quorum_not_met',
          `${cosignatures.length} witness cosignatures where ${quorum} are needed`,
        );
      return { checkpoint, text: opened.text, logSigners, cosignatures, futureCosignatures };
    },
  };
}
