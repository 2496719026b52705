import { Text, View } from '@tarojs/components';
import type { ConsentItem } from '@eid/shared';
import { useI18n } from '../i18n';
import './Items.scss';

/** Exactly what a consent hands over: each scope by name and, under it, the card fields it discloses. */
export function Items({ items, testId }: { items: ConsentItem[]; testId: string }) {
  const { t, lang } = useI18n();
  const name = (x: { zh: string; en: string }) => (lang === 'zh' ? x.zh : x.en);
  return (
    <View className="items" data-testid={testId} role="list">
      {items.map((item) => (
        <View key={item.scope} className="items__item" role="listitem" data-scope={item.scope}>
          <Text className="items__name">{name(item)}</Text>
          {item.scope === 'result' ? (
            <Text className="muted">{t('consents.resultOnly')}</Text>
          ) : (
            item.fields.length > 0 && (
              <Text className="items__fields">{item.fields.map(name).join(lang === 'zh' ? '、' : ', ')}</Text>
            )
          )}
        </View>
      ))}
    </View>
  );
}
