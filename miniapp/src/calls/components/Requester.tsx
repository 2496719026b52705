import { Text, View } from '@tarojs/components';
import type { DocumentRequest } from '@eid/shared';
import { Panel, Row } from '../../components/ui';
import { useI18n } from '../i18n';

/**
 * Who is asking, as the request's signature says (checked on this phone against the trust list and by the
 * BFF against its record): the organisation, the window and the staff member.
 */
export function Requester({ request, kid }: { request: DocumentRequest; kid: string }) {
  const { t } = useI18n();
  return (
    <Panel title={t('approve.who')} className="requester">
      <View className="requester__verified" data-testid="request-verified" role="status">
        <Text className="requester__tick" aria-hidden="true">
          ✓
        </Text>
        <Text>{t('approve.verified')}</Text>
      </View>
      <View data-testid="requester">
        <Row label={t('approve.organisation')} value={request.window.organisation} />
        <Row label={t('approve.window')} value={request.window.name} />
        <Row label={t('approve.staff')} value={request.staff.displayName} />
        <Row label={t('approve.signedBy')} value={<Text className="muted">{kid}</Text>} />
      </View>
    </Panel>
  );
}
