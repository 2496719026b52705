import { Text, View } from '@tarojs/components';
import { findCardScope, findPurpose, type ResidentConsentView } from '@eid/shared';
import { RegistrationVerdict, type CheckPhase as Phase } from '../../components/RegistrationVerdict';
import { Panel, Row } from '../../components/ui';
import { useI18n } from '../i18n';
import type { RegistrationCheck } from '../lib/registration';

export type CheckPhase = Phase<RegistrationCheck>;

/**
 * Who is asking: name, credit code and category, and what its signed registration says once this phone
 * has checked it (registered for which purposes, what it may ask for under this one). A registration that
 * does not check out is shown as such, in red, with the reason.
 */
export function Asker({
  view,
  phase,
  onRetry,
}: {
  view: ResidentConsentView;
  phase: CheckPhase;
  onRetry: () => void;
}) {
  const { t, lang } = useI18n();
  const { party } = view;
  const sep = lang === 'zh' ? '、' : ', ';
  const label = (x: { zh: string; en: string } | undefined, fallback: string) =>
    x ? (lang === 'zh' ? x.zh : x.en) : fallback;
  return (
    <Panel title={t('consents.who')} className="asker">
      <RegistrationVerdict phase={phase} t={t} prefix="consents" onRetry={onRetry} />
      <View data-testid="asker">
        <Row label={t('consents.name')} value={party.name} />
        <Row label={t('consents.uscc')} value={party.uscc} />
        <Row label={t('consents.category')} value={lang === 'zh' ? party.categoryZh : party.categoryEn} />
      </View>
      {phase.kind === 'done' && phase.check.ok && (
        <View className="asker__registration" data-testid="registration">
          <Text>
            {t('consents.registeredFor', {
              purposes: phase.check.payload.grants
                .map((g) => label(findPurpose(g.purpose), g.purpose))
                .join(sep),
            })}
          </Text>
          <Text>
            {t('consents.mayAsk', {
              scopes: (phase.check.payload.grants.find((g) => g.purpose === view.purpose.code)?.scopes ?? [])
                .map((s) => label(findCardScope(s) ?? view.items.find((i) => i.scope === s), s))
                .join(sep),
            })}
          </Text>
          <Row label={t('consents.signedBy')} value={<Text className="muted">{phase.check.kid}</Text>} />
        </View>
      )}
    </Panel>
  );
}
