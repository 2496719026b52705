import { Text, View } from '@tarojs/components';
import { PARTY_CATEGORIES, type SignInView } from '@eid/shared';
import { Btn, Loading, Panel, Row } from '../../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import type { SignInCheck, SignInProblem } from '../lib/registration';
import './Party.scss';

export type CheckPhase =
  { kind: 'checking' } | { kind: 'done'; check: SignInCheck } | { kind: 'unavailable' };

/** The problems that mean the registration itself is not believed (the rest are the sign-in's own). */
export const REGISTRATION_PROBLEMS: readonly SignInProblem[] = [
  'registry_keys',
  'signature',
  'mismatch',
  'not_registered',
];

/**
 * Who asks the resident to sign in: the verified name, credit code and category, with the phone's verdict
 * on the signed registration (as the consent page's panel shows it): verified, or not believed in red with
 * the reason.
 */
export function Party({
  view,
  phase,
  onRetry,
}: {
  view: SignInView;
  phase: CheckPhase;
  onRetry: () => void;
}) {
  const { t, lang } = useI18n();
  const { party } = view;
  const category = PARTY_CATEGORIES.find((c) => c.code === party.category);
  const forged =
    phase.kind === 'done' && !phase.check.ok && REGISTRATION_PROBLEMS.includes(phase.check.problem)
      ? phase.check.problem
      : undefined;
  return (
    <Panel title={t('signin.who')} className="party">
      {phase.kind === 'checking' && <Loading label={t('signin.checking')} />}
      {phase.kind === 'unavailable' && (
        <View className="party__unavailable">
          <Text>{t('signin.keysUnavailable')}</Text>
          <Btn testId="signin-check-retry" tone="secondary" label={t('common.retry')} onClick={onRetry} />
        </View>
      )}
      {phase.kind === 'done' && phase.check.ok && (
        <View className="party__verified" data-testid="registration-verified" role="status">
          <Text className="party__tick" aria-hidden="true">
            ✓
          </Text>
          <Text>{t('signin.verified')}</Text>
        </View>
      )}
      {forged && (
        <View className="party__forged" data-testid="registration-forged" data-problem={forged} role="alert">
          <Text className="party__forged-title">{t('signin.forged')}</Text>
          <Text className="party__forged-reason">{t(`signin.problem.${forged}` as MessageKey)}</Text>
          <Text>{t('signin.forgedHint')}</Text>
        </View>
      )}
      <View data-testid="signin-party">
        <Row label={t('signin.name')} value={party.name} />
        <Row label={t('signin.uscc')} value={party.uscc} />
        <Row
          label={t('signin.category')}
          value={category ? (lang === 'zh' ? category.zh : category.en) : party.category}
        />
        {phase.kind === 'done' && phase.check.ok && (
          <Row label={t('signin.signedBy')} value={<Text className="muted">{phase.check.kid}</Text>} />
        )}
      </View>
    </Panel>
  );
}
