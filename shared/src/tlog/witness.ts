import { tweetnaclEd25519, type Ed25519 } from '../crypto/ed25519';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { bytesEqual } from '../encoding/bytes';
import { utf8Decode } from '../encoding/utf8';
import { parseCheckpoint, type Checkpoint } from './checkpoint';
import { cosignatureLine, type Cosigner } from './cosignature';
import { TlogError, type TlogFailureReason } from './errors';
import { verifyConsistencyProof } from './merkle';
import {
  addNoteSignatures,
  ed25519NoteVerifier,
  NOTE_SIGNATURE_TYPE_ED25519,
  noteVerifierMap,
  openNote,
  parseNote,
  parseVerifierKey,
  type NoteVerifierKey,
} from './note';

/** The latest checkpoint a witness cosigned for one log: all it needs to remember (c2sp.org/tlog-witness). */
export interface WitnessRecord {
  size: number;
  rootHash: Uint8Array;
}

/** A witness's configuration for one log. */
export interface WitnessConfig {
  /** The origin of the one log this configuration witnesses. */
  origin: string;
  /** The log's verifier keys (type 0x01). */
  logKeys: readonly (string | NoteVerifierKey)[];
  /** The witness's own cosigner: its name, key ID and the key store's signing function. */
  cosigner: Cosigner;
}

export interface WitnessRequest {
  /** The log-signed checkpoint note (other cosignatures may ride along; they are ignored). */
  note: string | Uint8Array;
  /** Consistency proof from the witness's recorded size to the checkpoint's size. */
  proof: readonly Uint8Array[];
  /**
   * The size the log believes the witness last cosigned (the `old` line of add-checkpoint). When given it
   * must match the record, so a log that lost track learns the witness's size (`old_size_mismatch`).
   */
  oldSize?: number;
}

/**
 * Why a witness refuses, with the status c2sp.org/tlog-witness gives each at its HTTP edge: malformed_note
 * and malformed_checkpoint 400, unknown_origin 404, bad_signature and no_known_signature 403,
 * old_size_too_large 400, old_size_mismatch and size_shrank 409 (with the recorded size), empty_tree_root,
 * split_view and inconsistent 422.
 */
export type WitnessRefusalReason =
  | Extract<
      TlogFailureReason,
      | 'malformed_note'
      | 'too_many_signatures'
      | 'duplicate_signature'
      | 'bad_signature'
      | 'no_known_signature'
    >
  | Extract<TlogFailureReason, 'malformed_checkpoint' | 'empty_tree_root'>
  | 'unknown_origin'
  | 'old_size_too_large'
  | 'old_size_mismatch'
  | 'size_shrank'
  | 'split_view'
  | 'inconsistent';

/**
 * The refusals that are about the checkpoint itself (a bad note, signature or proof size), as against those
 * saying it does not extend what was cosigned: a witness answers the first kind 400, the second 409.
 */
export const WITNESS_INVALID_REASONS: ReadonlySet<WitnessRefusalReason> = new Set<WitnessRefusalReason>([
  'malformed_note',
  'too_many_signatures',
  'duplicate_signature',
  'bad_signature',
  'no_known_signature',
  'malformed_checkpoint',
  'empty_tree_root',
  'unknown_origin',
  'old_size_too_large',
]);

export type WitnessDecision =
  | {
      accepted: true;
      checkpoint: Checkpoint;
      /** The record to store, atomically, in place of `last` (compare-and-set on its size). */
      record: WitnessRecord;
      /** The cosignature line to answer with, newline included. */
      cosignature: string;
      /** The submitted note with this cosignature added, to serve to monitors. */
      cosignedNote: string;
      /** POSIX seconds of the cosignature. */
      timestamp: number;
    }
  | {
      accepted: false;
      reason: WitnessRefusalReason;
      detail: string;
      /** The recorded size, for `old_size_mismatch` and `size_shrank`. */
      latestSize?: number;
    };

/** A witness for one log, its configuration checked once. */
export interface Witness {
  readonly origin: string;
  /**
   * Decides on a new checkpoint against the last one cosigned (`undefined` when none): the log's signature
   * must verify, the size never shrinks, an equal size must have the same root (anything else is a split
   * view), and a larger one must come with a consistency proof from the recorded tree. When accepted, the
   * answer carries the cosignature at `now` (epoch ms) and the record to store. Never throws on input.
   */
  decide(last: WitnessRecord | undefined, request: WitnessRequest, now: number): WitnessDecision;
}

const refuse = (reason: WitnessRefusalReason, detail: string, latestSize?: number): WitnessDecision =>
  latestSize === undefined
    ? { accepted: false, reason, detail }
    : { accepted: false, reason, detail, latestSize };

/**
 * A witness for `config.origin`. The caller (the BFF's witness use case) loads `last`, calls decide, and
 * stores the record only if `last` is still the stored one, so two concurrent submissions cannot roll the
 * record back (the race c2sp.org/tlog-witness describes).
 *
 * @example createWitness({ origin, logKeys: [LOG_VKEY], cosigner }).decide(record, { note, proof }, clock.now())
 */
export function createWitness(
  config: WitnessConfig,
  options: { ed25519?: Ed25519; sha256?: Sha256 } = {},
): Witness {
  const ed25519 = options.ed25519 ?? tweetnaclEd25519;
  const sha256 = options.sha256 ?? portableSha256;
  const { origin, cosigner } = config;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n'))
    throw new TlogError('invalid_policy', 'a witnessed origin is one non-empty line');
  const keys = config.logKeys.map((k) => (typeof k === 'string' ? parseVerifierKey(k, sha256) : k));
  if (keys.length === 0 || keys.some((k) => k.type !== NOTE_SIGNATURE_TYPE_ED25519))
    throw new TlogError('invalid_policy', 'a witness knows at least one log key, each of type 0x01');
  const known = noteVerifierMap(keys.map((k) => ed25519NoteVerifier(k, ed25519)));

  return {
    origin,
    decide(last, request, now) {
      let checkpoint: Checkpoint;
      let text: string;
      try {
        ({ text } = parseNote(request.note));
        checkpoint = parseCheckpoint(text);
        if (checkpoint.origin !== origin)
          return refuse('unknown_origin', 'this witness does not know that log');
        openNote(request.note, known);
      } catch (e) {
        if (e instanceof TlogError) return refuse(e.reason as WitnessRefusalReason, e.message);
        throw e;
      }
      const { size, rootHash } = checkpoint;
      const recorded = last?.size ?? 0;
      const { oldSize, proof } = request;
      if (oldSize !== undefined) {
        if (!Number.isSafeInteger(oldSize) || oldSize < 0)
          return refuse('malformed_note', 'the old size is a non-negative integer');
        if (oldSize > size)
          return refuse('old_size_too_large', `old size ${oldSize} is above the checkpoint's ${size}`);
        if (oldSize !== recorded)
          return refuse(
            'old_size_mismatch',
            `the last cosigned size is ${recorded}, not ${oldSize}`,
            recorded,
          );
      }
      if (size < recorded)
        return refuse(
          'size_shrank',
          `the checkpoint has ${size} leaves, the last cosigned ${recorded}`,
          recorded,
        );
      if (!last || recorded === 0) {
        if (proof.length !== 0) return refuse('inconsistent', 'no proof is needed from the empty tree');
      } else if (size === recorded) {
        if (!bytesEqual(rootHash, last.rootHash))
          return refuse('split_view', `a second root for tree size ${size}: the log shows two views`);
        if (proof.length !== 0) return refuse('inconsistent', 'no proof is needed between equal trees');
      } else {
        try {
          verifyConsistencyProof(
            { oldSize: recorded, oldRoot: last.rootHash, newSize: size, newRoot: rootHash, proof },
            sha256,
          );
        } catch (e) {
          if (e instanceof TlogError)
            return refuse(
              'inconsistent',
              `tree ${size} does not extend the cosigned tree ${recorded}: ${e.message}`,
            );
          throw e;
        }
      }
      // The cosignature's time must not be zero (c2sp.org/tlog-witness); a clock before 1970 is a broken one.
      const timestamp = Math.floor(now / 1000);
      if (!Number.isSafeInteger(timestamp) || timestamp <= 0)
        throw new TypeError('now is epoch milliseconds');
      const cosignature = cosignatureLine(text, cosigner, timestamp);
      // parseNote already read the bytes as strict UTF-8, so decoding again cannot fail.
      const note = typeof request.note === 'string' ? request.note : utf8Decode(request.note);
      return {
        accepted: true,
        checkpoint,
        record: { size, rootHash: Uint8Array.from(rootHash) },
        cosignature,
        cosignedNote: addNoteSignatures(note, cosignature),
        timestamp,
      };
    },
  };
}
