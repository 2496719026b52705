import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { DeletionStatus, ResidentConsentView, ResidentPartiesAnswer } from '@eid/shared';
import { useState } from 'react';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { describeError } from '../../../lib/errors';
import { formatDate, formatDateTime } from '../../../lib/format';
import { useAction } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { listParties, withdrawConsent } from '../../../services/consents';
import { Items } from '../../components/Items';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import './index.scss';

// A party "holds" a consent once approved, and is listed after withdrawal until the deletion is settled
// and beyond, so the resident keeps the proof; requests never approved gave it nothing.
const HELD: ReadonlySet<ResidentConsentView['state']> = new Set(['approved', 'withdrawn']);

/** Where the deletion after a withdrawal stands: confirmed (when, by which key), or not yet, and how late. */
function Deletion({ deletion }: { deletion: DeletionStatus }) {
  const { t, lang } = useI18n();
  return (
    <View
      className={`deletion deletion--${deletion.state}`}
      data-testid="deletion-status"
      data-state={deletion.state}
    >
      {deletion.state === 'confirmed' ? (
        <Text className="deletion__head">
          {t('parties.deletion.confirmed', {
            date: formatDateTime(deletion.deletedAt ?? deletion.confirmedAt ?? deletion.requestedAt, lang),
            kid: deletion.confirmedByKid ?? '',
          })}
        </Text>
      ) : (
        <>
          <Text className="deletion__head">{t('parties.deletion.pending')}</Text>
          {deletion.state === 'overdue' ? (
            <Text className="deletion__overdue">
              {(deletion.daysOverdue ?? 1) <= 1
                ? t('parties.deletion.overdueOne')
                : t('parties.deletion.overdue', { n: deletion.daysOverdue! })}
            </Text>
          ) : (
            <Text className="muted">
              {t('parties.deletion.dueBy', { date: formatDate(deletion.dueBy, lang) })}
            </Text>
          )}
        </>
      )}
      {deletion.note && <Text className="muted">{t('parties.deletion.note', { note: deletion.note })}</Text>}
    </View>
  );
}

/** One consent a party holds: what it got, when, last use, its state, and Withdraw with a confirmation. */
function Held({
  consent,
  partyName,
  onWithdrawn,
}: {
  consent: ResidentConsentView;
  partyName: string;
  onWithdrawn: (next: ResidentConsentView) => void;
}) {
  const { t, lang } = useI18n();
  const [confirm, setConfirm] = useState(false);
  const [done, setDone] = useState(false);
  const withdraw = useAction(async () => {
    onWithdrawn(await withdrawConsent(consent.id));
    setConfirm(false);
    setDone(true);
  });
  return (
    <View
      className="held"
      data-testid="held-consent"
      data-id={consent.id}
      data-state={consent.state}
      role="listitem"
    >
      <View className="held__head">
        <Text className="held__purpose">{lang === 'zh' ? consent.purpose.zh : consent.purpose.en}</Text>
        <Text className={`held__state held__state--${consent.state}`}>
          {t(`consents.state.${consent.state}` as MessageKey)}
        </Text>
      </View>
      <Text className="held__label">{t('parties.got')}</Text>
      <Items items={consent.items} testId="held-items" />
      {consent.answeredAt !== undefined && (
        <Row label={t('parties.approvedAt')} value={formatDateTime(consent.answeredAt, lang)} />
      )}
      <Row
        label={t('parties.lastUsed')}
        value={
          <Text data-testid="held-last-used">
            {consent.lastUsedAt !== undefined
              ? formatDateTime(consent.lastUsedAt, lang)
              : t('parties.neverUsed')}
          </Text>
        }
      />
      <Row label={t('consents.retention')} value={t('consents.days', { n: consent.retentionDays })} />
      {consent.withdrawnAt !== undefined && (
        <Row label={t('parties.withdrawnAt')} value={formatDateTime(consent.withdrawnAt, lang)} />
      )}
      {done && <Notice tone="success">{t('parties.withdrawn', { name: partyName })}</Notice>}
      {consent.deletion && (
        <>
          <Text className="held__label">{t('parties.deletion')}</Text>
          <Deletion deletion={consent.deletion} />
        </>
      )}
      {withdraw.error !== undefined && <Notice tone="error">{describeError(withdraw.error, t, lang)}</Notice>}
      {consent.state === 'approved' &&
        (confirm ? (
          <Panel className="held__confirm">
            <Text>{t('parties.withdrawConfirm', { name: partyName })}</Text>
            <Btn
              tone="danger"
              label={t('parties.withdrawYes')}
              busy={withdraw.busy}
              onClick={() => void withdraw.run()}
            />
            <Btn tone="secondary" label={t('consents.keep')} onClick={() => setConfirm(false)} />
          </Panel>
        ) : (
          <Btn tone="danger" label={t('parties.withdraw')} onClick={() => setConfirm(true)} />
        ))}
    </View>
  );
}

/**
 * Every party holding a consent of the resident's: what it got, when, last use and state; Withdraw with a
 * confirmation; after withdrawal, whether the party has confirmed the deletion with its signed
 * acknowledgement (when, by which key), or not yet and how many days overdue.
 */
export default function Parties() {
  const { t, lang } = useI18n();
  useTitle('parties.title');
  const [answer, setAnswer] = useState<ResidentPartiesAnswer | undefined>();
  const [error, setError] = useState<unknown>(undefined);

  const load = async () => {
    setError(undefined);
    try {
      setAnswer(await listParties());
    } catch (err) {
      setError(err);
    }
  };
  useDidShow(() => void load());

  const replaceConsent = (next: ResidentConsentView) =>
    setAnswer(
      (a) =>
        a && {
          parties: a.parties.map((p) => ({
            ...p,
            consents: p.consents.map((c) => (c.id === next.id ? next : c)),
          })),
        },
    );

  const shown = (answer?.parties ?? [])
    .map((p) => ({ ...p, consents: p.consents.filter((c) => HELD.has(c.state)) }))
    .filter((p) => p.consents.length > 0);

  return (
    <Screen title={t('parties.title')} className="parties">
      <Text className="lead">{t('parties.lead')}</Text>
      <Btn tone="secondary" label={t('parties.open')} onClick={() => go(ROUTES.consentOpen)} />
      {error !== undefined && (
        <>
          <Notice tone="error">{describeError(error, t, lang)}</Notice>
          <Btn tone="secondary" label={t('common.retry')} onClick={() => void load()} />
        </>
      )}
      {answer === undefined && error === undefined && <Loading />}
      {answer !== undefined && shown.length === 0 && <Text className="muted">{t('parties.none')}</Text>}
      {shown.map(({ party, consents }) => (
        <Panel key={party.id} title={party.name} className="party">
          <View data-testid="party" data-party={party.id}>
            <Text className="muted">
              {lang === 'zh' ? party.categoryZh : party.categoryEn} · {party.uscc}
            </Text>
            <View className="party__consents" role="list">
              {consents.map((c) => (
                <Held key={c.id} consent={c} partyName={party.name} onWithdrawn={replaceConsent} />
              ))}
            </View>
          </View>
        </Panel>
      ))}
    </Screen>
  );
}
