import { act, fireEvent, render, screen } from '@testing-library/react';
import { checkDigit, makeIdNumber } from '@eid/shared';
import { RealNameForm } from '../../miniapp/src/enroll/components/RealNameForm';
import { setLang } from '../../miniapp/src/i18n';

// A fixed "today" for the born-in-the-future rule: the form takes its clock from the caller.
const NOW = Date.UTC(2026, 10, 23, 8, 0, 0);
const now = () => NOW;
const VALID = makeIdNumber('110105', '1990-03-07', 123);

function wrongCheckDigit(id: string): string {
  const right = checkDigit(id.slice(0, 17));
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}

function setup(props: Partial<Parameters<typeof RealNameForm>[0]> = {}) {
  const onSubmit = jest.fn();
  render(<RealNameForm onSubmit={onSubmit} now={now} {...props} />);
  const name = screen.getByLabelText('姓名') as HTMLInputElement;
  const id = screen.getByLabelText('公民身份号码') as HTMLInputElement;
  const submit = screen.getByRole('button', { name: '提交核对' });
  return { onSubmit, name, id, submit };
}

function type(input: HTMLInputElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

beforeEach(() => act(() => setLang('zh')));

describe('RealNameForm', () => {
  it('when the ID number has a wrong check digit, then the field says a digit may be mistyped', () => {
    const { id } = setup();
    type(id, wrongCheckDigit(VALID));
    expect(screen.getByRole('alert')).toHaveTextContent('号码校验未通过，可能有数字输错，请逐位核对。');
    expect(id).toHaveAttribute('aria-invalid', 'true');
    expect(id.getAttribute('aria-describedby')).toContain('real-name-id-error');
  });

  it('when a letter is typed among the first 17 characters, then the format message shows at once', () => {
    const { id } = setup();
    type(id, '11010A');
    expect(screen.getByRole('alert')).toHaveTextContent('身份证号码应为 18 位');
  });

  it('when the number is still being typed, then no message interrupts', () => {
    const { id } = setup();
    type(id, VALID.slice(0, 10));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(id).not.toHaveAttribute('aria-invalid');
  });

  it('when the birth date in the number is not a real day, then the field names the birth date', () => {
    const { id } = setup();
    const first17 = `11010519990231${'123'}`;
    type(id, first17 + checkDigit(first17));
    expect(screen.getByRole('alert')).toHaveTextContent('出生日期不正确');
  });

  it('when the birth date is after today, then the birth-date message shows', () => {
    const { id } = setup();
    const first17 = `110105${'20270101'}123`;
    type(id, first17 + checkDigit(first17));
    expect(screen.getByRole('alert')).toHaveTextContent('出生日期不正确');
  });

  it('when the region code does not exist, then the field says the first 6 digits are wrong', () => {
    const { id } = setup();
    const first17 = `990105${'19900307'}123`;
    type(id, first17 + checkDigit(first17));
    expect(screen.getByRole('alert')).toHaveTextContent('前 6 位不是有效的地区代码');
  });

  it('when an old 15-digit number is left in the field, then the form asks for the 18-character one', () => {
    const { id } = setup();
    type(id, '110105900307123');
    fireEvent.blur(id);
    expect(screen.getByRole('alert')).toHaveTextContent('15 位旧号码已停用');
  });

  it('when submitted empty, then both fields explain what is missing and nothing is sent', () => {
    const { submit, onSubmit } = setup();
    fireEvent.click(submit);
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(['请填写姓名。', '请填写身份证号码。']);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the name has digits, then the name field explains which characters a name may have', () => {
    const { name } = setup();
    type(name, '张三3');
    fireEvent.blur(name);
    expect(screen.getByRole('alert')).toHaveTextContent('姓名只能包含汉字、字母、间隔号');
  });

  it('when a valid name and number are submitted, then they are sent normalised (upper-case X, standard dot)', () => {
    const x = makeIdNumber('110105', '1949-12-31', 2);
    expect(x.endsWith('X')).toBe(true);
    const { name, id, submit, onSubmit } = setup();
    type(name, ' 阿卜杜热合曼・买买提明 ');
    type(id, x.toLowerCase());
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(submit);
    expect(onSubmit).toHaveBeenCalledWith('阿卜杜热合曼·买买提明', x);
  });

  it('when the server refused with attempts left, then its sentence and no raw code are shown', () => {
    setup({ error: '姓名与身份证号码不一致，请核对后重试。 今天还可以尝试 3 次。' });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('今天还可以尝试 3 次。');
    expect(alert.textContent).not.toMatch(/[A-Z_]{6,}/);
  });

  it('when attempts have been used, then the remaining count is shown under the form', () => {
    setup({ remaining: 2 });
    expect(screen.getByText('今天还可以尝试 2 次。')).toBeInTheDocument();
  });

  it('when the language is English, then labels and messages are English', () => {
    act(() => setLang('en'));
    const onSubmit = jest.fn();
    render(<RealNameForm onSubmit={onSubmit} now={now} />);
    const id = screen.getByLabelText('ID number') as HTMLInputElement;
    type(id, wrongCheckDigit(VALID));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This number does not add up, so a digit may be mistyped.',
    );
    expect(screen.getByRole('button', { name: 'Check my details' })).toBeInTheDocument();
  });
});
