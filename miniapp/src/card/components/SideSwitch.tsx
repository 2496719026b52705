import { View } from '@tarojs/components';
import { Btn } from '../../components/ui';
import { useI18n } from '../i18n';

export type CardSide = 'front' | 'back';

/** The two buttons that turn the card face over. */
export function SideSwitch({ side, onChange }: { side: CardSide; onChange: (side: CardSide) => void }) {
  const { t } = useI18n();
  return (
    <View className="mine__sides" role="group">
      <Btn
        tone={side === 'front' ? 'primary' : 'secondary'}
        label={t('card.front')}
        accessibleName={t('card.showFront')}
        onClick={() => onChange('front')}
      />
      <Btn
        tone={side === 'back' ? 'primary' : 'secondary'}
        label={t('card.back')}
        accessibleName={t('card.showBack')}
        onClick={() => onChange('back')}
      />
    </View>
  );
}
