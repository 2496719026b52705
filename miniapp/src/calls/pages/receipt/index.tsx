import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import {
  base64urlDecode,
  toHex,
  tweetnaclEd25519,
  verifyReceipt,
  type DocumentCallAnswer,
  type VerifyReceiptResult,
} from '@eid/shared';
import { useState } from 'react';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { clock } from '../../../lib/clock';
import { formatDateTime } from '../../../lib/format';
import { useAction, useAsync } from '../../../lib/hooks';
import { replace, ROUTES } from '../../../lib/nav';
import { getCallReceipt, getMyCall, withdrawCall } from '../../../services/document-calls';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { durationText } from '../../lib/duration';
import { describeError } from '../../../lib/errors';
import { docTypeName, fieldNames, serviceName } from '../../lib/labels';
import { keepAnswer, keptAnswer } from '../../lib/receipts';
import { trustList } from '../../lib/trust';
import './index.scss';

/** What the page shows of a receipt: from its verified bytes, or from the BFF's reading when they do not verify. */
interface Shown {
  requestId: string;
  organisation: string;
  windowName: string;
  staff: string;
  service: string;
  purpose: string;
  documents: { type: string; identifier: string; fields: readonly string[] }[];
  approvedAt: number;
  accessUntil: number;
}

function shownOf(answer: DocumentCallAnswer, verified: VerifyReceiptResult | undefined): Shown | undefined {
  if (verified?.ok) {
    const r = verified.receipt;
    return {
      requestId: toHex(r.requestId),
      organisation: r.window.organisation,
      windowName: r.window.name,
      staff: r.staff.displayName,
      service: r.service,
      purpose: r.purpose,
      documents: r.documents.map((d) => ({ type: d.type, identifier: d.identifier, fields: d.fields })),
      approvedAt: r.approvedAt,
      accessUntil: r.accessUntil,
    };
  }
  const v = answer.receipt?.view;
  if (!v) return undefined;
  return {
    requestId: v.requestId,
    organisation: v.window.organisation,
    windowName: v.window.name,
    staff: v.staff.displayName,
    service: v.service,
    purpose: v.purpose,
    documents: v.documents,
    approvedAt: v.approvedAt,
    accessUntil: v.accessUntil,
  };
}

/**
 * The receipt of an approval: what was shared, with whom, until when, its BFF signature checked on this
 * phone against the trust list, and a withdraw button while the window's access lasts.
 */
export default function Receipt() {
  const { t, lang } = useI18n();
  useTitle('receipt.title');
  const id = useRouter().params?.id ?? '';
  const [answer, setAnswer] = useState<DocumentCallAnswer | undefined>(() => keptAnswer(id));
  const [confirm, setConfirm] = useState(false);
  const [showText, setShowText] = useState(false);

  // The call as it stands now (access may have ended or been withdrawn elsewhere), and its receipt if the
  // device has none.
  const current = useAsync(async () => {
    const call = await getMyCall(id);
    // Read from the device now, not from the first render: another page may have kept a newer answer.
    const receipt = keptAnswer(id)?.receipt ?? (call.approvedAt ? await getCallReceipt(id) : undefined);
    setAnswer(keepAnswer({ call, receipt }));
    return call;
  }, [id]);

  const receiptBytes = answer?.receipt?.receipt;
  const verified = useAsync(async () => {
    if (!receiptBytes) return undefined;
    return verifyReceipt(base64urlDecode(receiptBytes), await trustList(), tweetnaclEd25519);
  }, [receiptBytes]);

  const withdraw = useAction(async () => {
    const next = await withdrawCall(id);
    setAnswer(keepAnswer(next));
    setConfirm(false);
  });

  const title = t('receipt.title');
  if (!answer) {
    return (
      <Screen title={title}>
        {current.loading ? (
          <Loading />
        ) : (
          <>
            <Notice tone="error">
              {current.error !== undefined ? describeError(current.error, t, lang) : t('receipt.none')}
            </Notice>
            <Btn tone="secondary" label={t('receipt.toCalls')} onClick={() => replace(ROUTES.calls)} />
          </>
        )}
      </Screen>
    );
  }

  const shown = shownOf(answer, verified.data);
  const { call } = answer;
  const now = clock.now();
  const accessUntil = shown?.accessUntil ?? call.accessUntil ?? 0;
  const open = call.state === 'delivered' && now < accessUntil;
  const statusOf = (type: string) => answer.delivered?.find((d) => d.type === type)?.status;

  return (
    <Screen title={title} className="receipt">
      {verified.data?.ok === true && (
        <View className="receipt__verified" data-testid="receipt-verified" role="status">
          <Text aria-hidden="true">✓ </Text>
          <Text>{t('receipt.verified')}</Text>
        </View>
      )}
      {verified.data !== undefined && !verified.data.ok && (
        <Notice tone="warn">{t('receipt.unverified')}</Notice>
      )}
      {call.state === 'withdrawn' && <Notice tone="success">{t('receipt.withdrawn')}</Notice>}
      {call.state === 'access_expired' && <Notice tone="info">{t('receipt.accessEnded')}</Notice>}
      {call.state === 'declined' && <Notice tone="info">{t('approve.declined')}</Notice>}
      {shown ? (
        <>
          <Panel title={t('receipt.sharedWith')}>
            <Row label={t('approve.organisation')} value={shown.organisation} />
            <Row label={t('approve.window')} value={shown.windowName} />
            <Row label={t('approve.staff')} value={shown.staff} />
            <Row label={t('approve.service')} value={serviceName(shown.service, lang, call.service)} />
            <Row label={t('approve.purpose')} value={shown.purpose} />
          </Panel>
          <Panel title={t('receipt.shared')}>
            <View className="receipt__docs" data-testid="receipt-documents" role="list">
              {shown.documents.map((d) => {
                const status = statusOf(d.type);
                const item = call.documents.find((i) => i.type === d.type);
                return (
                  <View key={d.identifier} className="receipt__doc" role="listitem" data-type={d.type}>
                    <View className="receipt__doc-head">
                      <Text className="receipt__doc-name">{docTypeName(d.type, lang, item)}</Text>
                      {status && (
                        <Text className={`receipt__status receipt__status--${status}`}>
                          {t(`receipt.docStatus.${status}` as MessageKey)}
                        </Text>
                      )}
                    </View>
                    <Text>{t('approve.fields', { fields: fieldNames(d.type, d.fields, lang, item) })}</Text>
                    <Text className="muted receipt__identifier">
                      {t('receipt.identifier')}：{d.identifier}
                    </Text>
                  </View>
                );
              })}
            </View>
            {answer.missing && answer.missing.length > 0 && (
              <Notice tone="info">
                {t('receipt.missing', {
                  types: answer.missing.map((m) => docTypeName(m, lang)).join(lang === 'zh' ? '、' : ', '),
                })}
              </Notice>
            )}
          </Panel>
          <Panel>
            <Row label={t('receipt.approvedAt')} value={formatDateTime(shown.approvedAt, lang)} />
            <Row
              label={t('receipt.accessUntil')}
              value={<Text data-testid="receipt-until">{formatDateTime(shown.accessUntil, lang)}</Text>}
            />
            <Row label={t('receipt.requestId')} value={<Text className="muted">{shown.requestId}</Text>} />
            {open && (
              <Text className="muted">
                {t('receipt.accessLeft', { duration: durationText(accessUntil - now, t) })}
              </Text>
            )}
          </Panel>
          {answer.receipt && (
            <>
              <Btn
                tone="link"
                label={t(showText ? 'receipt.hideText' : 'receipt.fullText')}
                onClick={() => setShowText((v) => !v)}
              />
              {showText && (
                <Panel>
                  <Text className="receipt__text">{answer.receipt.text}</Text>
                </Panel>
              )}
            </>
          )}
        </>
      ) : (
        current.loading && <Loading />
      )}
      {withdraw.error !== undefined && <Notice tone="error">{describeError(withdraw.error, t, lang)}</Notice>}
      {open &&
        (confirm ? (
          <Panel className="receipt__confirm">
            <Text>{t('receipt.withdrawConfirm')}</Text>
            <Btn
              tone="danger"
              label={t('receipt.withdrawYes')}
              busy={withdraw.busy}
              onClick={() => void withdraw.run()}
            />
            <Btn tone="secondary" label={t('approve.keep')} onClick={() => setConfirm(false)} />
          </Panel>
        ) : (
          <Btn tone="danger" label={t('receipt.withdraw')} onClick={() => setConfirm(true)} />
        ))}
      <Btn tone="link" label={t('receipt.toCalls')} onClick={() => replace(ROUTES.calls)} />
    </Screen>
  );
}
