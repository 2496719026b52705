import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { Btn, Loading } from './ui';
import './RegistrationVerdict.scss';

// Imported only by subpackages (consent/, signin/), so Taro keeps it out of the main package.

/** Where a page's check of a party's signed registration (lib/registration.ts) stands. */
export type CheckPhase<C> = { kind: 'checking' } | { kind: 'done'; check: C } | { kind: 'unavailable' };

/** The sentences of the verdict, each page's own under `<prefix>.<word>` (consents, signin). */
export type VerdictWord = 'checking' | 'keysUnavailable' | 'verified' | 'forged' | 'forgedHint';

/**
 * A red box telling the resident not to go on: what is wrong, why, and what to do. The registration
 * verdict's "does not check out" and the sign-in page's own warnings look alike on purpose.
 */
export function Alarm({
  title,
  reason,
  hint,
  testId,
  problem,
}: {
  title: string;
  reason: ReactNode;
  hint: string;
  testId: string;
  problem?: string;
}) {
  return (
    <View className="alarm" data-testid={testId} data-problem={problem} role="alert">
      <Text className="alarm__title">{title}</Text>
      <Text className="alarm__reason">{reason}</Text>
      <Text>{hint}</Text>
    </View>
  );
}

export interface RegistrationVerdictProps<P extends string, R extends string> {
  phase: CheckPhase<{ ok: true } | { ok: false; problem: R }>;
  /** The subpackage's translator; it must know every `<prefix>.<word>` and `<prefix>.problem.<R>`. */
  t: (key: `${P}.${VerdictWord}` | `${P}.problem.${NoInfer<R>}` | 'common.retry') => string;
  prefix: P;
  onRetry: () => void;
  /** Which problems mean the registration itself is not believed (default: all); the page says the rest. */
  shows?: (problem: R) => boolean;
  retryTestId?: string;
}

/**
 * What this phone found of a party's signed registration: checking, the keys not reachable (retry),
 * verified with a tick, or not believed, in red with the reason.
 */
export function RegistrationVerdict<P extends string, R extends string>({
  phase,
  t,
  prefix,
  onRetry,
  shows = () => true,
  retryTestId,
}: RegistrationVerdictProps<P, R>) {
  const say = (word: VerdictWord) => t(`${prefix}.${word}`);
  if (phase.kind === 'checking') return <Loading label={say('checking')} />;
  if (phase.kind === 'unavailable')
    return (
      <View className="verdict__unavailable">
        <Text>{say('keysUnavailable')}</Text>
        <Btn testId={retryTestId} tone="secondary" label={t('common.retry')} onClick={onRetry} />
      </View>
    );
  const { check } = phase;
  if (check.ok)
    return (
      <View className="verdict__verified" data-testid="registration-verified" role="status">
        <Text className="verdict__tick" aria-hidden="true">
          ✓
        </Text>
        <Text>{say('verified')}</Text>
      </View>
    );
  if (!shows(check.problem)) return null;
  return (
    <Alarm
      title={say('forged')}
      reason={t(`${prefix}.problem.${check.problem}`)}
      hint={say('forgedHint')}
      testId="registration-forged"
      problem={check.problem}
    />
  );
}
