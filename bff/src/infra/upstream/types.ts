import { z } from 'zod';

/*
 * What the BFF expects from the systems it does not own. The schemas validate every answer (a reply
 * that does not fit is treated as the system being unavailable); unknown extra fields are dropped.
 */

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);

/** The printed face of a resident's physical ID card, as the registry holds it. */
export const cardFaceSchema = z.object({
  name: z.string().min(1).max(64),
  sex: z.enum(['M', 'F']),
  ethnicity: z.string().min(1).max(16),
  birthDate: isoDate,
  address: z.string().min(1).max(256),
  idNumber: z.string().regex(/^[0-9]{17}[0-9X]$/),
  issuingAuthority: z.string().min(1).max(64),
  validFrom: isoDate,
  /** `YYYY-MM-DD`, or `长期` for a card without an end date. */
  validUntil: z.union([isoDate, z.literal('长期')]),
});
export type CardFace = z.infer<typeof cardFaceSchema>;

/** The registry's answer to a name + ID number check; an expired card is still a `match`. */
export const registryAnswerSchema = z.union([
  z.object({
    result: z.literal('match'),
    card: cardFaceSchema,
    portraitRef: z.string().min(1).max(128),
    /** What the registry flags about a record it still matches (e.g. `portrait_poor_quality`): a review. */
    flags: z
      .array(z.string().regex(/^[a-z0-9_]{1,40}$/))
      .max(16)
      .optional(),
  }),
  z.object({ result: z.enum(['mismatch', 'not_found', 'cancelled', 'deceased']) }),
]);
export type RegistryAnswer = z.infer<typeof registryAnswerSchema>;
export type RegistryResult = RegistryAnswer['result'];

export const registryStatusSchema = z.object({
  status: z.enum(['valid', 'cancelled', 'deceased', 'not_found']),
});
/** Whether a resident's card still stands, for revocation checks. */
export type RegistryStatus = z.infer<typeof registryStatusSchema>;

/** A portrait as the registry serves it; passed through to the resident, never stored. */
export interface PortraitImage {
  contentType: string;
  bytes: Uint8Array;
}

export const faceVerifyIdSchema = z.object({
  verifyId: z.string().min(1).max(64),
  /** Epoch milliseconds. */
  expiresAt: z.number().int().positive(),
});
export type FaceVerifyId = z.infer<typeof faceVerifyIdSchema>;

/**
 * The face service's verdict. `similarity` (0..1) compares the capture with the registry portrait;
 * `score` is the platform's own 0-100 rendering of it. Liveness is judged before similarity.
 */
export const faceResultSchema = z.union([
  z.object({ status: z.literal('pending') }),
  z.object({
    status: z.literal('done'),
    liveness: z.enum(['pass', 'fail']),
    similarity: z.number().min(0).max(1),
    score: z.number().min(0).max(100),
    /** e.g. `replayed_photo`, `not_live`, `low_similarity`, `poor_quality`. */
    reason: z.string().min(1).max(64).optional(),
  }),
]);
export type FaceResult = z.infer<typeof faceResultSchema>;

/** Who the super-app says the user is, from a one-time login code. */
export interface SuperAppIdentity {
  openId: string;
  unionId?: string;
}

export interface SuperAppClient {
  /** Exchanges a one-time login code; throws LOGIN_CODE_INVALID for an unknown, expired or spent code. */
  exchangeCode(code: string): Promise<SuperAppIdentity>;
}

export interface RegistryClient {
  /** Checks a name and ID number with the population registry. */
  verify(name: string, idNumber: string): Promise<RegistryAnswer>;
  /** The current standing of an ID number, for revocation checks. */
  status(idNumber: string): Promise<RegistryStatus>;
  /** The registry portrait behind a `portraitRef` from a `match`; NOT_FOUND when it is gone. */
  portrait(ref: string): Promise<PortraitImage>;
}

export interface FaceClient {
  /** Starts a face check bound to this person; the page captures against the returned id. */
  createVerifyId(person: { name: string; idNumber: string }): Promise<FaceVerifyId>;
  /** Reads the verdict server-side; FACE_VERIFY_ID_INVALID for an unknown or expired id. */
  getResult(verifyId: string): Promise<FaceResult>;
}

/** Where and how to reach one upstream system. */
export interface UpstreamOptions {
  baseUrl: string;
  /** Budget for one call, connection to last byte. */
  timeoutMs: number;
  /** How a call's budget runs out; a real timer unless a test ends it itself (see `Deadline`). */
  deadline?: Deadline;
}

/**
 * Makes the signal that ends one call once `ms` have passed; it aborts with a `TimeoutError`
 * DOMException, as `AbortSignal.timeout` does. Tests pass one they fire themselves, so that neither a
 * loaded machine can time a normal call out nor a timeout test has to wait on the wall clock.
 */
export type Deadline = (ms: number) => AbortSignal;
