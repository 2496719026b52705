import type { ComponentType } from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { PURPOSES, type StaffSession, type VerifyAnswer } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';

/**
 * The staff verifier page showing the partial answers of v2 codes (issue 14), against a real HTTP server
 * answering /verify as the BFF does: only the fields present, booleans as 是/否, the province by name, a
 * code with no claims as "valid e-ID held, no personal data", and the tampered verdict.
 *
 * Relied on: `[data-verdict]`, `.verdict__card .row` (label and value), `verdict-holder-only`,
 * `verdict-code-purpose`.
 */

const SESSION: StaffSession = {
  accessToken: 'staff-token',
  expiresIn: 900,
  staff: { id: 's-1', displayName: '窗口 3', role: 'officer', org: '历下分局' },
};
const CHECKED_AT = Date.UTC(2026, 10, 23, 8, 0, 0);

let answer: VerifyAnswer;
let asked: Record<string, string> | undefined;
let bff: FakeBff;
let StaffVerify: ComponentType;
let staffStore: typeof import('../../miniapp/src/services/request').staffStore;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    if (req.url === '/api/v1/purposes') return reply(res, 200, PURPOSES);
    if (req.url === '/api/v1/verify') {
      asked = await readJson(req);
      return reply(res, 200, answer);
    }
    // The offline lists are not this suite's business.
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  // The BFF's origin is fixed when the request module loads: load it and the page only now.
  process.env.TARO_APP_API_BASE = bff.base;
  ({ staffStore } = await import('../../miniapp/src/services/request'));
  StaffVerify = (await import('../../miniapp/src/staff/pages/verify/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  act(() => staffStore.set(SESSION));
});

afterEach(() => act(() => staffStore.set(null)));

/** Checks a code for `purpose` and answers the rows of the card data as `label：value`. */
async function check(purpose: string, given: VerifyAnswer): Promise<string[]> {
  answer = given;
  render(<StaffVerify />);
  const select = await screen.findByLabelText('核验事由');
  await within(select).findByRole('option', { name: PURPOSES.find((p) => p.code === purpose)!.zh });
  fireEvent.change(select, { target: { value: purpose } });
  fireEvent.change(screen.getByLabelText('亮证码'), { target: { value: 'EID2:ANYTHING' } });
  fireEvent.click(screen.getByRole('button', { name: '核验' }));
  await screen.findByText(/核验时间/);
  expect(asked).toEqual({ code: 'EID2:ANYTHING', purpose });
  return Array.from(document.querySelectorAll('.verdict__card .row')).map(
    (row) =>
      `${row.querySelector('.row__label')?.textContent}：${row.querySelector('.row__value')?.textContent}`,
  );
}

describe('staff verifier page, partial answers', () => {
  it('when an over-18-only code is valid, then exactly 已满18周岁：是 is shown and no name', async () => {
    const rows = await check('age_over_18', {
      verdict: 'valid',
      checkedAt: CHECKED_AT,
      format: 2,
      codePurpose: 'age_over_18',
      card: { ageOver18: true },
    });
    expect(rows).toEqual(['已满18周岁：是']);
    expect(document.querySelector('[data-verdict]')).toHaveTextContent('有效');
    expect(document.body.textContent).not.toMatch(/姓名|公民身份号码|部分隐藏的身份号码/);
    expect(screen.queryByTestId('verdict-code-purpose')).toBeNull();
  });

  it('when a predicate is false, then it reads 否', async () => {
    const rows = await check('age_over_60', {
      verdict: 'valid',
      checkedAt: CHECKED_AT,
      format: 2,
      codePurpose: 'age_over_60',
      card: { ageOver60: false },
    });
    expect(rows).toEqual(['已满60周岁：否']);
  });

  it('when a residence code is valid, then the province is shown by its name', async () => {
    const rows = await check('residence_province', {
      verdict: 'valid',
      checkedAt: CHECKED_AT,
      format: 2,
      codePurpose: 'residence_province',
      card: { residenceProvince: '37' },
    });
    expect(rows).toEqual(['居住省份：山东省']);
  });

  it('when a code with no claims is valid, then the page says the e-ID is held and nothing personal is shown', async () => {
    const rows = await check('holder_only', {
      verdict: 'valid',
      checkedAt: CHECKED_AT,
      format: 2,
      codePurpose: 'holder_only',
      card: {},
    });
    expect(rows).toEqual([]);
    expect(screen.getByTestId('verdict-holder-only')).toHaveTextContent('持证有效，未显示个人信息');
  });

  it('when the hotel answer has the five hotel fields, then those five are shown in words', async () => {
    const rows = await check('hotel_check_in', {
      verdict: 'valid',
      checkedAt: CHECKED_AT,
      format: 2,
      codePurpose: 'hotel_check_in',
      card: {
        name: '张三',
        sex: '男',
        ethnicity: '汉',
        birthDate: '1990-03-07',
        idNumberMasked: '3701**********002X',
      },
    });
    expect(rows).toEqual([
      '姓名：张三',
      '性别：男',
      '民族：汉',
      '出生日期：1990年3月7日',
      '部分隐藏的身份号码：3701**********002X',
    ]);
  });

  it('when the code was made for another purpose, then the page says so and what to ask for', async () => {
    await check('hotel_check_in', {
      verdict: 'valid',
      checkedAt: CHECKED_AT,
      format: 2,
      codePurpose: 'age_over_18',
      card: {},
    });
    expect(screen.getByTestId('verdict-code-purpose')).toHaveTextContent(
      '居民出示的二维码用于“年龄核验（满18周岁）”',
    );
    expect(screen.getByTestId('verdict-code-purpose')).toHaveTextContent('如需“旅馆住宿登记”的信息');
  });

  it('when the code is tampered, then the verdict says the data was altered, with no card data', async () => {
    const rows = await check('hotel_check_in', { verdict: 'tampered', checkedAt: CHECKED_AT, format: 2 });
    expect(rows).toEqual([]);
    const verdict = document.querySelector('[data-verdict]')!;
    expect(verdict.getAttribute('data-verdict')).toBe('tampered');
    expect(verdict).toHaveTextContent('证件信息被篡改');
    expect(
      screen.getByText('二维码中的证件信息与签发机关签名的不一致，不能作为身份证明。'),
    ).toBeInTheDocument();
    expect(screen.getByText('此结果不显示持证人信息。')).toBeInTheDocument();
  });

  it('when the language is English, then a boolean reads Yes under its English label', async () => {
    act(() => setLang('en'));
    answer = { verdict: 'valid', checkedAt: CHECKED_AT, format: 2, card: { ageOver18: true } };
    render(<StaffVerify />);
    const select = await screen.findByLabelText('Purpose of the check');
    await within(select).findByRole('option', { name: PURPOSES.find((p) => p.code === 'age_over_18')!.en });
    fireEvent.change(select, { target: { value: 'age_over_18' } });
    fireEvent.change(screen.getByLabelText('Card code'), { target: { value: 'EID2:ANYTHING' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await screen.findByText(/Checked at/);
    const row = document.querySelector('.verdict__card .row')!;
    expect(row.querySelector('.row__label')).toHaveTextContent('Over 18');
    expect(row.querySelector('.row__value')).toHaveTextContent('Yes');
  });
});
