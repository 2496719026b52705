import { Text, View } from '@tarojs/components';
import type { LicenceLinkNotice } from '@eid/shared';
import { useState } from 'react';
import { Btn } from '../../components/ui';
import type { Lang } from '../../i18n';
import { useI18n } from '../i18n';

function Bullets({ items }: { items: string[] }) {
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

// Section titles in the notice's own language, whatever the interface's.
const SECTION = {
  zh: { pulled: '获取哪些信息', kept: '如何保存', withdrawal: '如何取消' },
  en: { pulled: 'What is pulled', kept: 'What is kept', withdrawal: 'How to stop' },
} as const;

function NoticeText({ notice, lang }: { notice: LicenceLinkNotice; lang: Lang }) {
  const text = notice[lang];
  const say = SECTION[lang];
  return (
    <View className="notice-view">
      <Text className="notice-view__title">{text.title}</Text>
      <Text className="notice-view__summary">{text.summary}</Text>
      <View className="notice-section">
        <Text className="notice-section__title">{say.pulled}</Text>
        <Bullets items={text.pulled} />
      </View>
      <View className="notice-section">
        <Text className="notice-section__title">{say.kept}</Text>
        <Bullets items={text.kept} />
      </View>
      <View className="notice-section">
        <Text className="notice-section__title">{say.withdrawal}</Text>
        <Text>{text.withdrawal}</Text>
      </View>
    </View>
  );
}

/**
 * The link notice: it names the licence system and what is pulled, in the interface's language, with
 * the other language's text one tap away.
 */
export function LinkNotice({ notice }: { notice: LicenceLinkNotice }) {
  const { t, lang } = useI18n();
  const [other, setOther] = useState(false);
  const otherLang: Lang = lang === 'zh' ? 'en' : 'zh';
  return (
    <View className="link-notice" data-testid="link-notice">
      <Text className="muted">{t('link.source', { system: notice.system[lang] })}</Text>
      <NoticeText notice={notice} lang={lang} />
      <Text className="muted">{t('link.version', { version: notice.version })}</Text>
      <Btn
        tone="link"
        label={t(other ? 'link.hideOtherLang' : 'link.otherLang')}
        onClick={() => setOther((v) => !v)}
      />
      {other && <NoticeText notice={notice} lang={otherLang} />}
    </View>
  );
}
