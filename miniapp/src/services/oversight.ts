import { request } from './request';
import type { Notice, Question } from '@eid/shared';

/** Questions one staff access of the resident's own trace (docs/admin.md "Questioning an access"). */
export const askQuestion = (eventId: string, text: string) =>
  request<Question>({
    method: 'POST',
    path: `/api/v1/usage/${encodeURIComponent(eventId)}/questions`,
    data: { text },
  });

/** The resident's questions, newest first, each with its answer once an auditor gave one. */
export const listQuestions = () => request<{ items: Question[] }>({ path: '/api/v1/questions' });

/** What the resident should know: a deferred access now shown, a question answered; newest first. */
export const listNotices = () => request<{ items: Notice[] }>({ path: '/api/v1/notices' });
