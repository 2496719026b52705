/** Wire shapes of the online verifier (`POST /api/v1/verify`; docs/api.md "Card"). */
import type { CardField } from '../purposes/purposes';
import type { Verdict } from '../verifier/verifier';

/** Body of `POST /api/v1/verify`. */
export interface VerifyRequest {
  /** The bright-card code as scanned. */
  code: string;
  /** A purpose code from `GET /api/v1/purposes`. */
  purpose: string;
}

/** Answer of `POST /api/v1/verify`. */
export interface VerifyAnswer {
  verdict: Verdict;
  /** Epoch ms. */
  checkedAt: number;
  /** Only when the issuer's signature verified. */
  issuer?: { kid: string; province: string };
  /** Only for `valid`, and only the fields the purpose allows. */
  card?: Partial<Record<CardField, string>>;
}
