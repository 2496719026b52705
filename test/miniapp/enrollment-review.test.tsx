import type { ComponentType } from 'react';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import type { Enrollment, EnrollmentReview } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { signInResident } from '../helpers/resident-session';
import { reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';

/**
 * The home page while staff review the enrolment (docs/identity.md "Review queue"): it says so and asks
 * nothing of the resident; a rejection shows the supervisor's reason and what to do next; an approval
 * says the card may be taken now. Chinese first, English too.
 */

const NOW = Date.UTC(2026, 10, 23, 8, 0, 0);
const tries = { limit: 5, remaining: 5, unlockAt: null };
let bff: FakeBff;
let Home: ComponentType;
let enrollment: Enrollment;

const withReview = (state: Enrollment['state'], review?: EnrollmentReview): Enrollment => ({
  state,
  consent: { version: '1', at: NOW },
  attempts: { realName: tries, face: tries },
  ...(review && { review }),
});

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/enrollment') return reply(res, 200, enrollment);
    if (url.pathname === '/api/v1/card') return reply(res, 404, { code: 'CARD_NOT_FOUND', message: 'none' });
    return reply(res, 200, []);
  });
  process.env.TARO_APP_API_BASE = bff.base;
  await signInResident(Date.now());
  Home = (await import('../../miniapp/src/pages/home/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => act(() => setLang('zh')));
afterEach(cleanup);

it('when the enrolment is in review, then home says staff are checking it, why, and offers no step to take', async () => {
  enrollment = withReview('in_review', { status: 'pending', causes: ['face_borderline'], openedAt: NOW });
  render(<Home />);
  const pending = await screen.findByTestId('review-pending');
  expect(within(pending).getByText(MESSAGES['review.pendingTitle'].zh)).toBeInTheDocument();
  expect(within(pending).getByText(MESSAGES['review.pendingBody'].zh)).toBeInTheDocument();
  expect(within(pending).getByText(MESSAGES['review.cause.face_borderline'].zh)).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: MESSAGES['home.continueEnroll'].zh })).toBeNull();

  cleanup();
  act(() => setLang('en'));
  render(<Home />);
  const english = await screen.findByTestId('review-pending');
  expect(within(english).getByText(MESSAGES['review.pendingTitle'].en)).toBeInTheDocument();
  expect(within(english).getByText(MESSAGES['review.cause.face_borderline'].en)).toBeInTheDocument();
});

it('when staff rejected it, then home shows their reason in words and the way to try again', async () => {
  const reason = '照片与证件照差异较大，请携带身份证到派出所办理';
  enrollment = withReview('real_name_verified', {
    status: 'rejected',
    causes: ['face_borderline'],
    openedAt: NOW - 3600_000,
    decidedAt: NOW,
    reason,
  });
  render(<Home />);
  const rejected = await screen.findByTestId('review-rejected');
  expect(within(rejected).getByText(MESSAGES['review.rejectedTitle'].zh)).toBeInTheDocument();
  expect(within(rejected).getByText(`审核说明：${reason}`)).toBeInTheDocument();
  expect(within(rejected).getByText(MESSAGES['review.rejectedNext'].zh)).toBeInTheDocument();
  expect(screen.getByRole('button', { name: MESSAGES['review.retry'].zh })).toBeInTheDocument();
});

it('when staff approved it and no card is issued yet, then home says the card may be taken now', async () => {
  enrollment = withReview('eligible', {
    status: 'approved',
    causes: ['registry_anomaly'],
    openedAt: NOW - 3600_000,
    decidedAt: NOW,
    reason: '核验一致',
  });
  render(<Home />);
  expect(await screen.findByText(MESSAGES['review.approved'].zh)).toBeInTheDocument();
  expect(screen.queryByTestId('review-pending')).toBeNull();
});
