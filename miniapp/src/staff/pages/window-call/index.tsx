import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { documentType, type DocumentCallState, type WindowDocumentCall } from '@eid/shared';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import type { Lang } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { go, ROUTES } from '../../../lib/nav';
import { useStore } from '../../../lib/store';
import { staffStore } from '../../../services/request';
import { StaffLogin } from '../../components/StaffLogin';
import { WindowDocument } from '../../components/WindowDocument';
import { WindowError } from '../../components/WindowError';
import { WindowReceipt } from '../../components/WindowReceipt';
import { WindowRequestCode } from '../../components/WindowRequestCode';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { useWindowCall } from './useWindowCall';
import './index.scss';

const typeName = (type: string, lang: Lang) => documentType(type)?.[lang] ?? type;

function StateLine({ state }: { state: DocumentCallState }) {
  const { t } = useI18n();
  return (
    <Text className={`window-state window-state--${state}`} data-testid="window-state" data-state={state}>
      {t(`window.state.${state}` as MessageKey)}
    </Text>
  );
}

function Requester({ call }: { call: WindowDocumentCall }) {
  const { t, lang } = useI18n();
  const names = (list: string[]) =>
    list.map((type) => typeName(type, lang)).join(lang === 'zh' ? '、' : ', ');
  return (
    <Panel>
      <Row label={t('window.service')} value={call.service[lang]} />
      <Row label={t('window.purpose')} value={call.purpose} />
      <Row
        label={t('window.call.title')}
        value={t('window.call.requester', {
          window: call.window.name,
          organisation: call.window.organisation,
          staff: call.staff.displayName,
        })}
      />
      <Row label={t('window.documents')} value={names(call.documents.map((d) => d.type))} />
      {call.omitted && call.omitted.length > 0 && (
        <Text className="window-call__note">{t('window.omitted', { types: names(call.omitted) })}</Text>
      )}
    </Panel>
  );
}

/**
 * One document call at the window: its signed code with the time left while the resident may answer, its
 * state as it changes, then the approved documents (only the service's fields), each one's annotated copy,
 * the receipt, and a plain "access ended" once the window may read no more.
 */
export default function WindowCall() {
  const { t, lang } = useI18n();
  useTitle('window.call.title');
  const id = useRouter().params.id ?? '';
  const {
    call,
    failure,
    reconnecting,
    documents,
    documentsError,
    accessEnded,
    receipt,
    receiptCheck,
    ended,
  } = useWindowCall(id);
  const staff = useStore(staffStore);

  const body = () => {
    if (!id) return <Notice tone="error">{t('window.call.missingId')}</Notice>;
    if (failure !== undefined && !call) return <WindowError error={failure} />;
    if (!call) return <Loading />;
    const fieldsOf = (type: string) =>
      call.documents.find((d) => d.type === type)?.fields.map((f) => f.key) ?? [];
    const names = (list: string[]) =>
      list.map((type) => typeName(type, lang)).join(lang === 'zh' ? '、' : ', ');
    return (
      <>
        <StateLine state={accessEnded && call.state === 'delivered' ? 'access_expired' : call.state} />
        {reconnecting && <Notice tone="warn">{t('window.call.reconnecting')}</Notice>}
        {failure !== undefined && <WindowError error={failure} />}
        {call.state === 'pending' && <WindowRequestCode call={call} />}
        {call.state === 'declined' && <Notice tone="warn">{t('window.declined.hint')}</Notice>}
        {call.state === 'expired' && <Notice tone="warn">{t('window.expired.hint')}</Notice>}
        <Requester call={call} />
        {accessEnded && (
          <View data-testid="window-access-ended">
            <Notice tone="warn">{t('window.accessEnded')}</Notice>
          </View>
        )}
        {call.state === 'delivered' && !accessEnded && (
          <Panel title={t('window.documentsTitle')}>
            {call.accessUntil !== undefined && (
              <Text className="window-call__until">
                {t('window.accessUntil', { time: formatDateTime(call.accessUntil, lang) })}
              </Text>
            )}
            {documentsError !== undefined && <WindowError error={documentsError} />}
            {!documents && documentsError === undefined && <Loading label={t('window.loadingDocuments')} />}
            {documents && documents.missing.length > 0 && (
              <Text className="window-call__note">
                {t('window.missing', { types: names(documents.missing) })}
              </Text>
            )}
            {documents?.documents.map((doc) => (
              <WindowDocument
                key={doc.id}
                callId={call.id}
                doc={doc}
                fields={fieldsOf(doc.type)}
                onAccessEnded={ended}
              />
            ))}
          </Panel>
        )}
        {receipt && <WindowReceipt receipt={receipt} check={receiptCheck} />}
        <Btn tone="secondary" label={t('window.call.new')} onClick={() => go(ROUTES.staffWindow)} />
      </>
    );
  };

  return (
    <Screen title={t('window.call.title')} className="staff window-call">
      {staff ? body() : <StaffLogin />}
    </Screen>
  );
}
