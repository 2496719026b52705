import { Text } from '@tarojs/components';
import type { LicenceStatus } from '@eid/shared';
import { useI18n } from '../i18n';
import './StatusBadge.scss';

/** A document's status in words and colour: 有效 green, 已过期 grey-amber, 已暂停 amber, 已注销 red. */
export function StatusBadge({ status }: { status: LicenceStatus }) {
  const { t } = useI18n();
  return (
    <Text className={`lbadge lbadge--${status}`} data-testid="licence-status" data-status={status}>
      {t(`licence.status.${status}`)}
    </Text>
  );
}
