/**
 * The mini-program's one clock. Pages, services and the wallet ask it for the time instead of calling
 * `Date.now()`, so a test can set `clock.now` and see token expiry, card renewal, date filters and
 * device proofs at the moment it chooses.
 */
export const clock = {
  /** Epoch ms. */
  now: (): number => Date.now(),
};
