/** Wire shapes of moving province (`/api/v1/moves`, docs/federation.md "Moving province"). */
import type { UsagePage } from './usage';

/** Body of `POST /api/v1/moves`: a fresh bright code of the card at the former home. */
export interface MoveInRequest {
  formerCode: string;
}

/** A former home as the new home keeps it (answer of `POST /api/v1/moves`, items of `GET /api/v1/moves`). */
export interface FormerHomeView {
  province: string;
  /** The province's name in the national list (山东省). */
  name: string;
  movedAt: number;
}

/** One former home's trace, read from it now (`GET /api/v1/moves/former-usage`). */
export interface FormerHomeUsage extends FormerHomeView {
  /** Newest first; absent when the former home could not be asked just now. */
  page?: UsagePage;
  /** The error code when it could not be asked (UPSTREAM_UNAVAILABLE...): try again later. */
  error?: string;
}

export interface FormerHomesAnswer {
  homes: FormerHomeView[];
}

export interface FormerUsageAnswer {
  homes: FormerHomeUsage[];
}
