import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { MOCK_FACE_API_KEY } from '../lib/credentials';
import {
  MockHttpError,
  parseWith,
  requireApiKey,
  sleepUnlessGone,
  startMockServer,
  systemClock,
  type MockClock,
  type MockServer,
} from '../lib/server';
import { findResident, type FaceProfile } from '../registry/seed';

/** How long a verify id can be captured against and queried. */
export const VERIFY_ID_TTL_MS = 10 * 60 * 1000;
/** Captures smaller than this are refused as poor quality. */
export const MIN_CAPTURE_BYTES = 1024;
/** How long the result call of a `timeout` resident hangs by default: longer than any BFF timeout. */
export const DEFAULT_HANG_MS = 10_000;

export interface FaceOptions {
  port?: number;
  host?: string;
  clock?: MockClock;
  apiKey?: string;
  /** How long the result call of a `timeout` resident hangs. */
  hangMs?: number;
}

interface Session {
  profile: FaceProfile;
  expiresAt: number;
  capture?: { replayed: boolean };
}

const createBody = z
  .object({ name: z.string().min(1).max(64), idNumber: z.string().min(1).max(32) })
  .strict();
// Base64 of a camera frame of up to ~1.5 MB.
const captureBody = z
  .object({ verifyId: z.string().min(1).max(64), image: z.string().min(1).max(2_000_000) })
  .strict();

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function decodeImage(image: string): Buffer {
  const payload = image.replace(/^data:image\/[a-z]+;base64,/, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(payload)) {
    throw new MockHttpError(400, 'bad_image', 'image must be base64');
  }
  const bytes = Buffer.from(payload, 'base64');
  const startsWith = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (!startsWith(JPEG_MAGIC) && !startsWith(PNG_MAGIC)) {
    throw new MockHttpError(400, 'bad_image', 'image must be a JPEG or PNG');
  }
  return bytes;
}

/** A similarity in [low, high) that depends only on the verify id, so repeated reads agree. */
function similarityFor(verifyId: string, low: number, high: number): number {
  const n = createHash('sha256').update(verifyId).digest().readUInt32BE(0) / 2 ** 32;
  return Math.round((low + n * (high - low)) * 1000) / 1000;
}

/**
 * The face-verification stand-in, in the three steps such platforms use: the BFF creates a verify id
 * for a name and ID number, the page uploads a capture against it (CORS, no key), and the BFF reads
 * the result. Outcomes follow the resident's seeded face profile; a `pass` resident whose capture has
 * the same bytes as any earlier one fails liveness as a replayed photo.
 */
export async function startFace(options: FaceOptions = {}): Promise<MockServer> {
  const clock = options.clock ?? systemClock;
  const hangMs = options.hangMs ?? DEFAULT_HANG_MS;
  const sessions = new Map<string, Session>();
  const seenCaptures = new Set<string>();

  const openSession = (verifyId: string): Session => {
    const session = sessions.get(verifyId);
    if (!session) throw new MockHttpError(404, 'verify_id_not_found', 'unknown verify id');
    if (clock.now() > session.expiresAt)
      throw new MockHttpError(410, 'verify_id_expired', 'verify id expired');
    return session;
  };

  return startMockServer({
    name: 'face',
    port: options.port,
    host: options.host,
    // Room for a base64 camera frame.
    bodyLimitBytes: 2_100_000,
    build(router, { stopping }) {
      const auth = requireApiKey(options.apiKey ?? MOCK_FACE_API_KEY);

      router.post('/v1/verify-ids', auth, function createVerifyId(ctx) {
        const body = parseWith(createBody, ctx.request.body);
        const resident = findResident(body.idNumber);
        if (!resident)
          throw new MockHttpError(422, 'identity_not_found', 'no reference photo for this person');
        if (body.name.normalize('NFC') !== resident.name) {
          throw new MockHttpError(422, 'identity_mismatch', 'name does not match the ID number');
        }
        const now = clock.now();
        for (const [id, s] of sessions) if (now - s.expiresAt > 3600_000) sessions.delete(id);
        const verifyId = `fv_${randomBytes(18).toString('base64url')}`;
        const expiresAt = now + VERIFY_ID_TTL_MS;
        sessions.set(verifyId, { profile: resident.face, expiresAt });
        ctx.body = { verifyId, expiresAt };
      });

      router.post('/v1/capture', function capture(ctx) {
        const body = parseWith(captureBody, ctx.request.body);
        const session = openSession(body.verifyId);
        if (session.capture)
          throw new MockHttpError(409, 'already_captured', 'this verify id is already used');
        const bytes = decodeImage(body.image);
        if (bytes.length < MIN_CAPTURE_BYTES) {
          ctx.body = { accepted: false, reason: 'poor_quality' };
          return;
        }
        const hash = createHash('sha256').update(bytes).digest('hex');
        session.capture = { replayed: seenCaptures.has(hash) };
        seenCaptures.add(hash);
        ctx.body = { accepted: true };
      });

      router.get('/v1/verify-ids/:verifyId/result', auth, async function result(ctx) {
        const verifyId = ctx.params.verifyId ?? '';
        const session = openSession(verifyId);
        if (session.profile === 'error')
          throw new MockHttpError(500, 'internal_error', 'face engine failure');
        if (session.profile === 'timeout') {
          await sleepUnlessGone(hangMs, ctx, stopping);
          if (stopping.aborted) return;
        }
        if (!session.capture) {
          ctx.body = { status: 'pending' };
          return;
        }
        const high = similarityFor(verifyId, 0.86, 0.98);
        const done = (liveness: 'pass' | 'fail', similarity: number, reason?: string) => {
          ctx.body = {
            status: 'done',
            liveness,
            similarity,
            score: Math.round(similarity * 10000) / 100,
            reason,
          };
        };
        if (session.profile === 'low_similarity')
          return done('pass', similarityFor(verifyId, 0.3, 0.55), 'low_similarity');
        if (session.profile === 'borderline') return done('pass', similarityFor(verifyId, 0.76, 0.795));
        if (session.profile === 'liveness_fail') return done('fail', high, 'not_live');
        if (session.capture.replayed) return done('fail', high, 'replayed_photo');
        return done('pass', high);
      });
    },
  });
}
