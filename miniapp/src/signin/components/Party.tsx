import { Text, View } from '@tarojs/components';
import { PARTY_CATEGORIES, type SignInView } from '@eid/shared';
import { RegistrationVerdict, type CheckPhase as Phase } from '../../components/RegistrationVerdict';
import { Panel, Row } from '../../components/ui';
import { useI18n } from '../i18n';
import type { SignInCheck, SignInProblem } from '../lib/registration';

export type CheckPhase = Phase<SignInCheck>;

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
  return (
    <Panel title={t('signin.who')} className="party">
      <RegistrationVerdict
        phase={phase}
        t={t}
        prefix="signin"
        onRetry={onRetry}
        shows={(problem) => REGISTRATION_PROBLEMS.includes(problem)}
        retryTestId="signin-check-retry"
      />
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
