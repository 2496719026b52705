import type { UsageEvent } from '@eid/shared';

/** When a check made by an offline staff terminal happened and when it reached the trace. */
export interface OfflineMark {
  checkedAt: number;
  uploadedAt: number;
  /** The same code was also accepted elsewhere (another terminal, or online): a possible copy. */
  replayedElsewhere: boolean;
}

/**
 * The offline mark of a record (`detail.offline`, `detail.checkedAt`, `detail.uploadedAt`, set by the
 * BFF when it records an uploaded offline check); null for every other record. A record without an
 * upload time was appended when it was uploaded, so its own time stands in.
 */
export function offlineMark(event: UsageEvent): OfflineMark | null {
  const d = event.detail;
  if (d?.offline !== true || typeof d.checkedAt !== 'number') return null;
  return {
    checkedAt: d.checkedAt,
    uploadedAt: typeof d.uploadedAt === 'number' ? d.uploadedAt : event.at,
    replayedElsewhere: d.replayedElsewhere === true,
  };
}
