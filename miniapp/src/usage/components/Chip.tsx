import { Button } from '@tarojs/components';

const isH5 = process.env.TARO_ENV === 'h5';

/** A toggle in a row of filter choices; a real button with aria-pressed on the web. */
export function Chip({ on, label, onClick }: { on: boolean; label: string; onClick: () => void }) {
  const cls = `chip${on ? ' chip--on' : ''}`;
  return isH5 ? (
    <button type="button" className={cls} aria-pressed={on} onClick={onClick}>
      {label}
    </button>
  ) : (
    <Button className={cls} onClick={onClick} aria-label={label}>
      {label}
    </Button>
  );
}
