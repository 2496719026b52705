import type {
  Disclosure,
  DisclosureBinding,
  DisclosureEvent,
  UsageEventInput,
  UsageRecorder,
} from './usage.types';

/**
 * A thin binding over `record`/`recordOnce`: each call builds its event once and hands it on, no extra
 * awaits, so the online verifier's hot path costs what a direct `record` does.
 */
export function bindDisclosure(
  recorder: Pick<UsageRecorder, 'record' | 'recordOnce'>,
  { residentId, actor, purpose, requestId }: DisclosureBinding,
): Disclosure {
  function event(e: DisclosureEvent): UsageEventInput {
    const built: UsageEventInput = {
      residentId,
      actor,
      action: e.action,
      fields: e.fields ?? [],
      purpose: e.purpose ?? purpose,
      result: e.result ?? 'ok',
    };
    if (e.detail !== undefined) built.detail = e.detail;
    if (e.visibleFrom !== undefined) built.visibleFrom = e.visibleFrom;
    if (requestId) built.requestId = requestId;
    return built;
  }
  return {
    record: (e) => recorder.record(event(e)),
    recordOnce: (e, key) => recorder.recordOnce(event(e), key),
  };
}
