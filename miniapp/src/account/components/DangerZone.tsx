import { Text } from '@tarojs/components';
import { Panel } from '../../components/ui';
import type { Action } from '../../lib/hooks';
import { useI18n } from '../i18n';
import type { Flow } from '../lib/useManage';
import { AskFirst } from './Confirm';

export interface DangerZoneProps {
  flow: Flow;
  withdraw: Action<[]>;
  close: Action<[]>;
  ask: (flow: Flow) => void;
  cancel: () => void;
}

/** Withdrawing consent and closing the account, each asked again before it happens. */
export function DangerZone({ flow, withdraw, close, ask, cancel }: DangerZoneProps) {
  const { t } = useI18n();
  return (
    <Panel title={t('manage.danger')} className="manage__danger">
      <Text className="manage__subtitle">{t('manage.withdraw')}</Text>
      <Text>{t('manage.withdrawExplain')}</Text>
      <AskFirst
        asking={flow === 'confirm-withdraw'}
        label={t('manage.withdraw')}
        sentence={t('manage.withdrawConfirm')}
        action={withdraw}
        onAsk={() => ask('confirm-withdraw')}
        onCancel={cancel}
      />
      <Text className="manage__subtitle">{t('manage.close')}</Text>
      <Text>{t('manage.closeExplain')}</Text>
      <AskFirst
        asking={flow === 'confirm-close'}
        label={t('manage.close')}
        sentence={t('manage.closeConfirm')}
        action={close}
        onAsk={() => ask('confirm-close')}
        onCancel={cancel}
      />
    </Panel>
  );
}
