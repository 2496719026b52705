import { View } from '@tarojs/components';
import { Btn, Notice } from '../../components/ui';
import type { Action } from '../../lib/hooks';
import { useI18n } from '../i18n';

export interface AskFirstProps {
  /** Whether the question is on screen (else the button that asks it). */
  asking: boolean;
  /** The step's name, on the button and on the confirming button. */
  label: string;
  /** The question, in words. */
  sentence: string;
  action: Action<[]>;
  onAsk: () => void;
  onCancel: () => void;
}

/**
 * A destructive step asks again in place, in words, with the safe choice first: an inline panel is
 * reachable by keyboard and screen reader on every platform, which a platform modal is not on the web.
 */
export function AskFirst({ asking, label, sentence, action, onAsk, onCancel }: AskFirstProps) {
  const { t } = useI18n();
  if (!asking) return <Btn tone="danger" label={label} onClick={onAsk} />;
  return (
    <View className="manage__confirm" role="group" aria-label={sentence}>
      <Notice tone="warn">{sentence}</Notice>
      <Btn tone="secondary" label={t('common.cancel')} onClick={onCancel} disabled={action.busy} />
      <Btn tone="danger" label={label} onClick={() => void action.run()} busy={action.busy} />
    </View>
  );
}
