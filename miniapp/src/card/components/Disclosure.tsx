import { Text, View } from '@tarojs/components';
import type { Purpose } from '@eid/shared';
import { Btn } from '../../components/ui';
import type { Lang } from '../../i18n';
import { fieldLabel, fieldValueText } from '../../lib/labels';
import { CARD_MESSAGES, useI18n, type MessageKey } from '../i18n';
import { disclosureChoices, FIRST_PURPOSES, type DisclosurePlan } from '../lib/disclosure';

type Translate = ReturnType<typeof useI18n>['t'];

/** A purpose as the resident picks it: the short everyday name where there is one (满18周岁), else the published one. */
export function purposeName(purpose: Purpose, t: Translate, lang: Lang): string {
  const key = `disclose.p.${purpose.code}`;
  return key in CARD_MESSAGES ? t(key as MessageKey) : purpose[lang];
}

const list = (items: string[], lang: Lang) => items.join(lang === 'zh' ? '、' : ', ');

/**
 * Exactly what a code for the plan's purpose tells the staff member, with the values as their terminal
 * will read them ("已满18周岁：是"), what the BFF may add online, and what is not shown.
 */
export function DisclosureSummary({ plan }: { plan: DisclosurePlan }) {
  const { t, lang } = useI18n();
  return (
    <View className="disclosure" data-testid="disclosure">
      {plan.shown.length > 0 ? (
        <>
          <Text className="disclosure__title">{t('disclose.willShow')}</Text>
          {plan.shown.map(({ field, value }) => (
            <Text key={field} className="disclosure__claim" data-field={field}>
              {t('disclose.row', {
                label: fieldLabel(field, t),
                value: fieldValueText(field, value, t, lang),
              })}
            </Text>
          ))}
        </>
      ) : (
        <Text className="disclosure__title" data-testid="disclosure-nothing">
          {t('disclose.nothing')}
        </Text>
      )}
      {plan.online.length > 0 && (
        <Text className="disclosure__online" data-testid="disclosure-online">
          {t('disclose.online', {
            fields: list(
              plan.online.map((f) => fieldLabel(f, t)),
              lang,
            ),
          })}
        </Text>
      )}
      {plan.hidden.length > 0 && (
        <Text className="disclosure__hidden" data-testid="disclosure-hidden">
          {t('disclose.notShown', {
            fields: list(
              plan.hidden.map((f) => fieldLabel(f, t)),
              lang,
            ),
          })}
        </Text>
      )}
    </View>
  );
}

const FIRST: ReadonlySet<string> = new Set(FIRST_PURPOSES);

/** The purposes to choose from, those that show least on top. */
export function PurposeList({ onChoose }: { onChoose: (purpose: Purpose) => void }) {
  const { t, lang } = useI18n();
  const choices = disclosureChoices();
  const first = choices.filter((p) => FIRST.has(p.code));
  const rest = choices.filter((p) => !FIRST.has(p.code));
  return (
    <View className="purposes" data-testid="purpose-list">
      <Text className="purposes__title">{t('disclose.chooseTitle')}</Text>
      <Text className="purposes__lead">{t('disclose.chooseLead')}</Text>
      <View className="purposes__group">
        {first.map((p) => (
          <Btn key={p.code} tone="secondary" label={purposeName(p, t, lang)} onClick={() => onChoose(p)} />
        ))}
      </View>
      <Text className="purposes__subtitle">{t('disclose.others')}</Text>
      <View className="purposes__group">
        {rest.map((p) => (
          <Btn key={p.code} tone="secondary" label={purposeName(p, t, lang)} onClick={() => onChoose(p)} />
        ))}
      </View>
    </View>
  );
}
