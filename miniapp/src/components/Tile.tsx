import { Button, Text } from '@tarojs/components';
import { go, type Route } from '../lib/nav';

const isH5 = process.env.TARO_ENV === 'h5';

/** A large button on the home page that opens a feature. */
export function Tile({ title, hint, route }: { title: string; hint: string; route: Route }) {
  const open = () => go(route);
  const body = (
    <>
      <Text className="tile__title">{title}</Text>
      <Text className="tile__hint">{hint}</Text>
    </>
  );
  return isH5 ? (
    <button type="button" className="tile" onClick={open}>
      {body}
    </button>
  ) : (
    <Button className="tile" onClick={open}>
      {body}
    </Button>
  );
}
