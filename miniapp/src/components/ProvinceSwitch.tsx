import { Text, View } from '@tarojs/components';
import { useI18n } from '../i18n';
import { useAsync } from '../lib/hooks';
import { provinceChoice, switchProvince } from '../lib/province';
import { Btn } from './ui';

/**
 * The banner of the H5 pages in a federation: which province's node they talk to, and a button for each
 * other province of the national list. Renders nothing outside a federation or in the mini-program.
 */
export function ProvinceSwitch() {
  const { t } = useI18n();
  const choice = useAsync(provinceChoice);
  const data = choice.data;
  if (!data) return null;
  return (
    <View className="province-switch" role="region" aria-label={t('province.label')}>
      <Text className="province-switch__current">
        {t('province.current')}
        {data.current.name}
      </Text>
      <View className="province-switch__others">
        {data.provinces
          .filter((p) => p.province !== data.current.province)
          .map((p) => (
            <Btn
              key={p.province}
              tone="secondary"
              label={`${t('province.switchTo')}${p.name}`}
              onClick={() => switchProvince(p.province)}
            />
          ))}
      </View>
    </View>
  );
}
