import { Text, View } from '@tarojs/components';
import { useI18n } from '../i18n';
import type { FaceModel } from '../lib/face';
import './DocumentFace.scss';

/** How many rows the wallet list shows of a face; the document page shows them all. */
export const COMPACT_ROWS = 4;

/**
 * A document drawn from its type's declarative face: the printed title, the headline field large (a plate
 * drawn as a plate), the rows in the type's order, a photo box where the document prints one, and, when
 * the document is not valid, a stamp across it saying so. Light colours are cards; dark ones booklets.
 */
export function DocumentFace({ model, compact = false }: { model: FaceModel; compact?: boolean }) {
  const { t, lang } = useI18n();
  const rows = compact ? model.rows.slice(0, COMPACT_ROWS) : model.rows;
  const status = t(`licence.status.${model.status}`);
  const cls = [
    'docface',
    `docface--${model.tone}`,
    `docface--${model.type}`,
    `docface--${model.status}`,
    compact ? 'docface--compact' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <View
      className={cls}
      style={model.tone === 'light' ? { backgroundColor: model.color } : undefined}
      data-testid="document-face"
      data-type={model.type}
      data-status={model.status}
      aria-label={`${model.name} · ${status}`}
    >
      <View
        className="docface__head"
        style={model.tone === 'dark' ? { backgroundColor: model.color } : undefined}
      >
        {model.tone === 'dark' && (
          <View className="docface__emblem" aria-hidden="true">
            <Text>★</Text>
          </View>
        )}
        <Text className="docface__title">{model.title}</Text>
        {lang === 'en' && <Text className="docface__title-en">{model.titleEn}</Text>}
      </View>
      <View className="docface__body">
        <View className="docface__main">
          {model.headline && (
            <View className={`docface__headline docface__headline--${model.headline.key}`}>
              <Text className="docface__label">{model.headline.label}</Text>
              <Text className="docface__headline-value" data-testid="face-headline">
                {model.headline.value}
              </Text>
            </View>
          )}
          <View className="docface__rows">
            {rows.map((row) => (
              <View key={row.map((c) => c.key).join('+')} className="docface__row">
                {row.map((c) => (
                  <View key={c.key} className="docface__cell" data-field={c.key}>
                    <Text className="docface__label">{c.label}</Text>
                    <Text className="docface__value">{c.value}</Text>
                  </View>
                ))}
              </View>
            ))}
          </View>
        </View>
        {model.portrait && !compact && (
          <View className="docface__photo" aria-hidden="true">
            <View className="docface__photo-head" />
            <View className="docface__photo-body" />
          </View>
        )}
      </View>
      {model.status !== 'valid' && (
        <View className="docface__stamp" aria-hidden="true">
          <Text>{status}</Text>
        </View>
      )}
      <Text className="docface__tag">{t('licences.electronic')}</Text>
    </View>
  );
}
