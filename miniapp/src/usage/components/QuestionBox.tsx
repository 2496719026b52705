import { useState } from 'react';
import type { Question, UsageEvent } from '@eid/shared';
import { Text } from '@tarojs/components';
import { Btn, Field, Loading, Notice, Panel, Row } from '../../components/ui';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { askQuestion, listQuestions } from '../../services/oversight';
import { useI18n, type MessageKey } from '../i18n';

const MIN = 4;
const MAX = 1000;

/**
 * On a record of an access by police staff (the page shows it on those only): the resident may question it once it is shown; the record
 * then shows the question's state and, once an auditor answered, the finding and the answer.
 */
export function QuestionBox({ event }: { event: UsageEvent }) {
  const { t, lang } = useI18n();
  const questions = useAsync(listQuestions);
  const [writing, setWriting] = useState(false);
  const [text, setText] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [asked, setAsked] = useState<Question | null>(null);
  // The newest question about this record: an answered one may be followed by a new one.
  const question = asked ?? questions.data?.items.find((q) => q.access.eventId === event.id) ?? null;

  const send = async () => {
    if (text.trim().length < MIN) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setError(undefined);
    setSending(true);
    try {
      setAsked(await askQuestion(event.id, text.trim()));
      setWriting(false);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  if (questions.loading) return <Loading />;
  return (
    <Panel title={t('usage.question.title')} className="usage__question">
      {question?.status === 'open' && (
        <Notice tone="info">{t('usage.question.open', { at: formatDateTime(question.at, lang) })}</Notice>
      )}
      {question && <Row label={t('usage.question.label')} value={question.text} />}
      {question?.answer && (
        <>
          <Notice tone="success">
            {t('usage.question.answered', { at: formatDateTime(question.answer.at, lang) })}
          </Notice>
          <Row
            label={t('usage.question.finding')}
            value={t(`usage.question.finding.${question.answer.finding}` as MessageKey)}
          />
          <Row label={t('usage.question.answer')} value={question.answer.text} />
        </>
      )}
      {question?.status !== 'open' && !writing && (
        <>
          {!question && <Text className="muted">{t('usage.question.lead')}</Text>}
          <Btn tone="secondary" label={t('usage.question.title')} onClick={() => setWriting(true)} />
        </>
      )}
      {writing && (
        <>
          <Field
            id="usage-question"
            label={t('usage.question.label')}
            hint={t('usage.question.hint')}
            value={text}
            maxLength={MAX}
            multiline
            error={tooShort ? t('usage.question.tooShort') : undefined}
            onChange={setText}
          />
          {error !== undefined && <Notice tone="error">{describeError(error, t, lang)}</Notice>}
          <Btn label={t('usage.question.send')} busy={sending} onClick={() => void send()} />
          <Btn tone="link" label={t('usage.question.cancel')} onClick={() => setWriting(false)} />
        </>
      )}
    </Panel>
  );
}
