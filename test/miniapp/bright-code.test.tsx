import { act, render, screen } from '@testing-library/react';
import { BrightCode } from '../../miniapp/src/card/components/BrightCode';
import { setLang } from '../../miniapp/src/i18n';

// The clock the component reads is jest's fake one: timers and Date move only when the test says.
const START = Date.UTC(2026, 10, 23, 8, 0, 0);

function qr(): SVGElement {
  return screen.getByRole('img', { name: '亮证二维码，请工作人员扫描' }) as unknown as SVGElement;
}

function countdown(): string {
  return screen.getByRole('timer').textContent ?? '';
}

beforeEach(() => {
  jest.useFakeTimers({ now: START });
  act(() => setLang('zh'));
});

afterEach(() => {
  jest.useRealTimers();
});

describe('BrightCode', () => {
  it('when shown, then the code for this moment is drawn and the countdown starts at 30 s', () => {
    const build = jest.fn((now: number) => `EID1:CODE${now}`);
    render(<BrightCode build={build} now={() => Date.now()} />);
    expect(build).toHaveBeenCalledWith(START);
    expect(qr()).toHaveAttribute('data-code', `EID1:CODE${START}`);
    expect(qr().querySelector('path')?.getAttribute('d')).toMatch(/^M4 4h7/);
    expect(countdown()).toContain('30 秒后自动更新');
  });

  it('when a second passes, then the countdown shows 29 s and the code is unchanged', () => {
    const build = jest.fn((now: number) => `EID1:CODE${now}`);
    render(<BrightCode build={build} now={() => Date.now()} />);
    act(() => jest.advanceTimersByTime(1000));
    expect(countdown()).toContain('29 秒后自动更新');
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('when 29 s have passed, then the old code is still shown with 1 s left', () => {
    const build = jest.fn((now: number) => `EID1:CODE${now}`);
    render(<BrightCode build={build} now={() => Date.now()} />);
    act(() => jest.advanceTimersByTime(29_000));
    expect(countdown()).toContain('1 秒后自动更新');
    expect(qr()).toHaveAttribute('data-code', `EID1:CODE${START}`);
  });

  it('when 30 s have passed, then a new code is built for the new time and the countdown restarts', () => {
    const build = jest.fn((now: number) => `EID1:CODE${now}`);
    render(<BrightCode build={build} now={() => Date.now()} />);
    act(() => jest.advanceTimersByTime(30_000));
    expect(build).toHaveBeenCalledTimes(2);
    expect(build).toHaveBeenLastCalledWith(START + 30_000);
    expect(qr()).toHaveAttribute('data-code', `EID1:CODE${START + 30_000}`);
    expect(countdown()).toContain('30 秒后自动更新');
  });

  it('when two minutes pass, then the code has changed four times, once every 30 s', () => {
    const build = jest.fn((now: number) => `EID1:CODE${now}`);
    render(<BrightCode build={build} now={() => Date.now()} />);
    act(() => jest.advanceTimersByTime(120_000));
    expect(build.mock.calls.map(([at]) => at - START)).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
  });

  it('when the timer was held back (a background tab), then the next tick still replaces an overdue code', () => {
    const build = jest.fn((now: number) => `EID1:CODE${now}`);
    render(<BrightCode build={build} now={() => Date.now()} />);
    // The clock jumps ahead without timers firing, as when a page is throttled.
    jest.setSystemTime(START + 45_000);
    act(() => jest.advanceTimersByTime(1000));
    expect(qr()).toHaveAttribute('data-code', `EID1:CODE${START + 46_000}`);
  });

  it('when shown, then the holder and the screenshot warning are on screen', () => {
    render(
      <BrightCode
        build={(now) => `EID1:CODE${now}`}
        now={() => Date.now()}
        holder={{ name: '王小明', idNumberMasked: '1101**********123X' }}
      />,
    );
    expect(screen.getByText('王小明')).toBeInTheDocument();
    expect(screen.getByText('1101**********123X')).toBeInTheDocument();
    expect(screen.getByText(/截图无效/)).toBeInTheDocument();
  });

  it('when the device holds no card, then a sentence says so instead of a code', () => {
    render(
      <BrightCode
        build={() => {
          throw new Error('No card on this device');
        }}
        now={() => Date.now()}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('本机上还没有电子证照。');
    expect(screen.queryByRole('img')).toBeNull();
  });
});
