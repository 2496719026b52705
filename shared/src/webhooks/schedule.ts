/**
 * Delay before each delivery attempt of a callback, in ms: Standard Webhooks' schedule (immediately, 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), ten attempts over about three days. The sender adds
 * jitter on top; after the last attempt fails the event is dead-lettered.
 */
export const CALLBACK_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
]);
