import type { ComponentType } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Notice, Question, UsageEvent } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { USAGE_MESSAGES } from '../../miniapp/src/usage/i18n';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';
import { setRouterParams } from './support/taro';

/**
 * A resident questions an access by police staff from its record (docs/admin.md "Questioning an access"):
 * the record then shows the question waiting, and once answered the auditor's finding and answer; the
 * usage list shows the resident's notices. Against a server answering as the BFF does.
 */

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const LOOKUP: UsageEvent = {
  id: 'ev-lookup',
  seq: 7,
  at: NOW - 3600_000,
  actor: { type: 'staff', id: 'staff-1', displayName: '济南市公安局历下分局 窗口 2' },
  action: 'staff.lookup',
  fields: ['name', 'idNumber'],
  purpose: 'police_lookup',
  result: 'ok',
  detail: { badge: '371234', reason: '核查盗窃案嫌疑人身份' },
};
const VERIFY: UsageEvent = {
  id: 'ev-verify',
  seq: 6,
  at: NOW - 7200_000,
  actor: { type: 'third_party', id: 'p-1', displayName: '如家酒店' },
  action: 'card.verify',
  fields: ['name'],
  purpose: 'hotel_check_in',
  result: 'ok',
};

let bff: FakeBff;
let questions: Question[] = [];
let notices: Notice[] = [];
const asked: { eventId: string; text: string }[] = [];
let refuseAsk: string | null = null;
let Detail: ComponentType;
let List: ComponentType;
const realNow = clock.now;

const questionOf = (text: string, extra: Partial<Question> = {}): Question => ({
  id: 'q-1',
  at: NOW,
  status: 'open',
  text,
  access: {
    eventId: LOOKUP.id,
    at: LOOKUP.at,
    actor: LOOKUP.actor,
    action: LOOKUP.action,
    fields: LOOKUP.fields,
    purpose: LOOKUP.purpose,
  },
  ...extra,
});

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ask = /^\/api\/v1\/usage\/([^/]+)\/questions$/.exec(url.pathname);
    if (ask && req.method === 'POST') {
      const { text } = await readJson(req);
      if (refuseAsk) return reply(res, 409, { code: refuseAsk, message: 'refused' });
      asked.push({ eventId: decodeURIComponent(ask[1]!), text: text! });
      const q = questionOf(text!);
      questions = [q, ...questions];
      return reply(res, 201, q);
    }
    const one = /^\/api\/v1\/usage\/([^/]+)$/.exec(url.pathname);
    if (one)
      return reply(
        res,
        200,
        [LOOKUP, VERIFY].find((e) => e.id === one[1]),
      );
    if (url.pathname === '/api/v1/usage')
      return reply(res, 200, { items: [LOOKUP, VERIFY], nextBefore: null });
    if (url.pathname === '/api/v1/questions') return reply(res, 200, { items: questions });
    if (url.pathname === '/api/v1/notices') return reply(res, 200, { items: notices });
    if (url.pathname === '/api/v1/moves/former-usage') return reply(res, 200, { homes: [] });
    return reply(res, 200, []);
  });
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  await signInResident(NOW);
  Detail = (await import('../../miniapp/src/usage/pages/detail/index')).default;
  List = (await import('../../miniapp/src/usage/pages/list/index')).default;
});

afterAll(() => {
  clock.now = realNow;
  return bff.close();
});

beforeEach(() => {
  act(() => setLang('zh'));
  questions = [];
  notices = [];
  asked.length = 0;
  refuseAsk = null;
});
afterEach(cleanup);

const U = (key: keyof typeof USAGE_MESSAGES) => USAGE_MESSAGES[key].zh;

it('when the resident questions a staff lookup, then the question is sent with its text and the record shows it waiting', async () => {
  setRouterParams({ id: LOOKUP.id });
  render(<Detail />);
  fireEvent.click(await screen.findByRole('button', { name: U('usage.question.title') }));
  fireEvent.click(screen.getByRole('button', { name: U('usage.question.send') }));
  // Too short: said at the field, nothing sent.
  await screen.findByText(U('usage.question.tooShort'));
  expect(asked).toEqual([]);

  const text = '我近期没有办理任何业务，为何查询我的信息？';
  fireEvent.change(screen.getByLabelText(U('usage.question.label')), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: U('usage.question.send') }));
  await screen.findByText(/异议已提交/);
  expect(asked).toEqual([{ eventId: LOOKUP.id, text }]);
  expect(screen.getByText(text)).toBeTruthy();
  expect(screen.queryByRole('button', { name: U('usage.question.title') })).toBeNull();
});

it('when the question was answered, then the record shows the finding and the answer in words', async () => {
  questions = [
    questionOf('为何查询我？', {
      status: 'answered',
      answer: { at: NOW, text: '经核查，该次查询缺少案件依据，已责令整改。', finding: 'not_justified' },
    }),
  ];
  setRouterParams({ id: LOOKUP.id });
  render(<Detail />);
  await screen.findByText(U('usage.question.finding.not_justified'));
  expect(screen.getByText('经核查，该次查询缺少案件依据，已责令整改。')).toBeTruthy();
  expect(screen.getByText(/审计人员已答复/)).toBeTruthy();
});

it('when the BFF refuses because a question is already open, then its code is said in words', async () => {
  refuseAsk = 'QUESTION_ALREADY_OPEN';
  setRouterParams({ id: LOOKUP.id });
  render(<Detail />);
  fireEvent.click(await screen.findByRole('button', { name: U('usage.question.title') }));
  fireEvent.change(screen.getByLabelText(U('usage.question.label')), {
    target: { value: '为何查询我的信息？' },
  });
  fireEvent.click(screen.getByRole('button', { name: U('usage.question.send') }));
  await screen.findByText(MESSAGES['error.QUESTION_ALREADY_OPEN'].zh);
});

it('when the record is not an access by staff, then there is nothing to question', async () => {
  setRouterParams({ id: VERIFY.id });
  render(<Detail />);
  await screen.findByText('如家酒店', { exact: false });
  await waitFor(() => expect(screen.queryByText(U('usage.question.title'))).toBeNull());
});

it('when the resident has notices, then the usage list shows them in the chosen language', async () => {
  notices = [
    {
      id: 'n-2',
      kind: 'question_answered',
      at: NOW,
      title: { zh: '您的异议已答复', en: 'Your question was answered' },
      body: { zh: '审计人员已答复您对一次查询的异议。', en: 'An auditor answered your question.' },
      questionId: 'q-1',
    },
    {
      id: 'n-1',
      kind: 'deferred_access_shown',
      at: NOW - 1000,
      title: { zh: '一次暂缓告知的查询现已显示', en: 'A deferred access to your data is now shown' },
      body: {
        zh: '公安机关因侦查需要暂缓告知的一次查询，现已列入您的使用记录。',
        en: 'It is now in your records.',
      },
      accessAt: NOW - 30 * 86_400_000,
    },
  ];
  render(<List />);
  await screen.findByText('一次暂缓告知的查询现已显示');
  expect(screen.getByText('您的异议已答复')).toBeTruthy();
  expect(screen.getByRole('heading', { name: U('usage.notices') })).toBeTruthy();
  cleanup();
  act(() => setLang('en'));
  render(<List />);
  await screen.findByText('A deferred access to your data is now shown');
});
