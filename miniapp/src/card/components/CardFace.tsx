import { Image, Text, View } from '@tarojs/components';
import { useI18n } from '../i18n';
import { formatCardDate, formatValidity } from '../../lib/format';
import type { CardFace as Face } from '@eid/shared';

export interface CardFaceProps {
  face: Face;
  side: 'front' | 'back';
  /** A data: URL of the portrait, when it has loaded. */
  portrait?: string | null;
  /** The full number after a confirmed reveal; the masked one otherwise. */
  idNumber: string;
}

function sexLabel(sex: string, t: ReturnType<typeof useI18n>['t']): string {
  if (sex === 'M' || sex === '男') return t('card.sexM');
  if (sex === 'F' || sex === '女') return t('card.sexF');
  return sex;
}

/** The card drawn like the physical one: the photo side and the emblem side. */
export function CardFace({ face, side, portrait, idNumber }: CardFaceProps) {
  const { t, lang } = useI18n();
  if (side === 'back') {
    return (
      <View className="idcard idcard--back" aria-label={t('card.back')}>
        <View className="idcard__back-head">
          <View className="idcard__emblem" aria-hidden="true">
            <Text className="idcard__star">★</Text>
          </View>
          <View className="idcard__back-titles">
            <Text className="idcard__back-title1">{t('card.backTitle1')}</Text>
            <Text className="idcard__back-title2">{t('card.backTitle2')}</Text>
          </View>
        </View>
        <View className="idcard__back-rows">
          <View className="idcard__line">
            <Text className="idcard__label">{t('card.authority')}</Text>
            <Text className="idcard__value">{face.issuingAuthority}</Text>
          </View>
          <View className="idcard__line">
            <Text className="idcard__label">{t('card.validity')}</Text>
            <Text className="idcard__value">
              {formatValidity(face.validFrom, t('card.longTerm'))}-
              {formatValidity(face.validUntil, t('card.longTerm'))}
            </Text>
          </View>
        </View>
        <Text className="idcard__tag">{t('card.electronic')}</Text>
      </View>
    );
  }
  return (
    <View className="idcard idcard--front" aria-label={t('card.front')}>
      <View className="idcard__main">
        <View className="idcard__line">
          <Text className="idcard__label">{t('card.name')}</Text>
          <Text className="idcard__value idcard__value--name">{face.name}</Text>
        </View>
        <View className="idcard__line idcard__line--pair">
          <View className="idcard__line">
            <Text className="idcard__label">{t('card.sex')}</Text>
            <Text className="idcard__value">{sexLabel(face.sex, t)}</Text>
          </View>
          <View className="idcard__line">
            <Text className="idcard__label">{t('card.ethnicity')}</Text>
            <Text className="idcard__value">{face.ethnicity}</Text>
          </View>
        </View>
        <View className="idcard__line">
          <Text className="idcard__label">{t('card.birthDate')}</Text>
          <Text className="idcard__value">{formatCardDate(face.birthDate, lang)}</Text>
        </View>
        <View className="idcard__line">
          <Text className="idcard__label">{t('card.address')}</Text>
          <Text className="idcard__value">{face.address}</Text>
        </View>
      </View>
      <View className="idcard__photo">
        {portrait ? (
          process.env.TARO_ENV === 'h5' ? (
            <img className="idcard__img" src={portrait} alt={t('card.portraitAlt')} />
          ) : (
            <Image
              className="idcard__img"
              src={portrait}
              mode="aspectFill"
              aria-label={t('card.portraitAlt')}
            />
          )
        ) : (
          <Text className="idcard__nophoto">{portrait === null ? t('card.portraitUnavailable') : ''}</Text>
        )}
      </View>
      <View className="idcard__number">
        <Text className="idcard__label">{t('card.idNumber')}</Text>
        <Text className="idcard__value idcard__value--number" data-testid="id-number">
          {idNumber}
        </Text>
      </View>
    </View>
  );
}
