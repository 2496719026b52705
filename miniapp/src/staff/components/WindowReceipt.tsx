import { Text, View } from '@tarojs/components';
import type { DocumentCallReceiptAnswer } from '@eid/shared';
import { Notice, Panel } from '../../components/ui';
import { useI18n } from '../i18n';

/** Whether the receipt's signature holds under the pinned trust list and names this request. */
export type ReceiptCheck = 'checking' | 'verified' | 'bad' | 'unverified';

/**
 * The signed receipt of the approval, which the window keeps: its text (Chinese, then English, as the
 * receipt format words it) and whether its signature held on this device against the pinned trust list.
 */
export function WindowReceipt({
  receipt,
  check,
}: {
  receipt: DocumentCallReceiptAnswer;
  check: ReceiptCheck;
}) {
  const { t } = useI18n();
  return (
    <Panel title={t('window.receipt')} className="window-receipt">
      <View data-testid="window-receipt" data-check={check}>
        {check === 'verified' && (
          <Notice tone="success">{t('window.receipt.verified', { kid: receipt.kid })}</Notice>
        )}
        {check === 'bad' && <Notice tone="error">{t('window.receipt.bad')}</Notice>}
        {check === 'unverified' && <Notice tone="warn">{t('window.receipt.unverified')}</Notice>}
        <Text className="window-receipt__text">{receipt.text}</Text>
      </View>
    </Panel>
  );
}
