import { documentType, findService, type DocumentCallView, type DocumentRequest } from '@eid/shared';

/** What a fake BFF's call view takes from the request; the vectors' JSON request fits too. */
export type RequestShape = Pick<
  DocumentRequest,
  'window' | 'staff' | 'service' | 'purpose' | 'documents' | 'createdAt' | 'answerBy' | 'accessForMs'
>;

/**
 * The part of a call's view that a fake BFF builds from the request alone, as the real one does: who asks,
 * the service as the catalogue names it and each requested document with the registry's labels.
 *
 * @example const view = { id, state, ...requestView(request), requestDigest, ... }
 */
export function requestView(
  r: RequestShape,
): Pick<
  DocumentCallView,
  'window' | 'staff' | 'service' | 'purpose' | 'documents' | 'createdAt' | 'answerBy' | 'accessForMs'
> {
  const service = findService(r.service)!;
  return {
    window: r.window,
    staff: r.staff,
    service: { code: service.code, zh: service.zh, en: service.en, basis: service.basis },
    purpose: r.purpose,
    documents: r.documents.map((d) => {
      const t = documentType(d.type)!;
      return {
        type: d.type,
        zh: t.zh,
        en: t.en,
        required: d.required,
        fields: d.fields.map((key) => {
          const f = t.fields.find((x) => x.key === key)!;
          return { key, zh: f.zh, en: f.en };
        }),
      };
    }),
    createdAt: r.createdAt,
    answerBy: r.answerBy,
    accessForMs: r.accessForMs,
  };
}
