import { Text, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { formatDate } from '../lib/format';
import type { PrivacyNotice } from '@eid/shared';
import { Btn } from './ui';

function List({ items }: { items: string[] }) {
  return (
    <View className="bullets" role="list">
      {items.map((item) => (
        <View key={item} className="bullet" role="listitem">
          <Text>{item}</Text>
        </View>
      ))}
    </View>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <View className="notice-section">
      <Text className="notice-section__title">{title}</Text>
      {children}
    </View>
  );
}

/**
 * The privacy notice in the current language: the summary and purposes at once, the rest one tap
 * away so the consent button stays within reach on a small screen.
 */
export function NoticeView({
  notice,
  expanded: startExpanded = false,
}: {
  notice: PrivacyNotice;
  expanded?: boolean;
}) {
  const { lang, t } = useI18n();
  const [expanded, setExpanded] = useState(startExpanded);
  const text = notice[lang];
  return (
    <View className="notice-view">
      <Text className="notice-view__title">{text.title}</Text>
      <Text className="muted">
        {t('consent.version', { version: notice.version, date: formatDate(notice.publishedAt, lang) })}
      </Text>
      <Text className="notice-view__summary">{text.summary}</Text>
      <Section title={t('consent.purposes')}>
        <List items={text.purposes} />
      </Section>
      {expanded && (
        <>
          <Section title={t('consent.dataKept')}>
            <View className="bullets" role="list">
              {text.dataKept.map((d) => (
                <View key={d.item} className="bullet" role="listitem">
                  <Text className="notice-view__item">{d.item}</Text>
                  <Text className="muted">{t('consent.why', { why: d.why })}</Text>
                  <Text className="muted">{t('consent.keptFor', { retention: d.retention })}</Text>
                </View>
              ))}
            </View>
          </Section>
          <Section title={t('consent.neverKept')}>
            <List items={text.neverKept} />
          </Section>
          <Section title={t('consent.sharedWith')}>
            <List items={text.sharedWith} />
          </Section>
          <Section title={t('consent.rights')}>
            <List items={text.rights} />
          </Section>
          <Section title={t('consent.withdrawal')}>
            <Text>{text.withdrawal}</Text>
          </Section>
          <Section title={t('consent.contact')}>
            <Text>{text.controller}</Text>
            <Text>{text.contact}</Text>
          </Section>
        </>
      )}
      <Btn
        tone="link"
        label={expanded ? t('consent.showLess') : t('consent.showAll')}
        onClick={() => setExpanded(!expanded)}
      />
    </View>
  );
}
