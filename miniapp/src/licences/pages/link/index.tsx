import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { LicenceTypeInfo, LicenceWallet } from '@eid/shared';
import { useState } from 'react';
import { Btn, Check, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { useAction, useAsync } from '../../../lib/hooks';
import { back, replace, ROUTES } from '../../../lib/nav';
import { getLicenceTypes, getWallet, linkLicences, unlinkLicenceType } from '../../../services/licences';
import { LinkNotice } from '../../components/LinkNotice';
import { useI18n, useTitle } from '../../i18n';
import { cachedWallet, cacheWallet } from '../../lib/cache';
import { describeError } from '../../../lib/errors';
import { typeName } from '../../lib/face';
import './index.scss';

// Fields a resident cannot read (digests of the printed photo) are pulled but not worth listing by name.
const UNLISTED = new Set(['portraitDigest']);

function fieldList(info: LicenceTypeInfo, lang: 'zh' | 'en'): string {
  return info.fields
    .filter((f) => !UNLISTED.has(f.key))
    .map((f) => f[lang])
    .join(lang === 'zh' ? '、' : ', ');
}

/**
 * Linking document types: the resident chooses the types, reads the notice that names the licence system
 * and exactly what is pulled of each type, ticks the consent, and the documents are pulled at once.
 * A linked type can be unlinked here, which deletes its documents.
 */
export default function Link() {
  const { t, lang } = useI18n();
  useTitle('link.title');
  const fromWallet = useRouter().params?.from === 'wallet';
  const types = useAsync(getLicenceTypes);
  const [wallet, setWallet] = useState<LicenceWallet | undefined>(cachedWallet);
  // What is linked already, as the BFF says now (the saved copy until it answers).
  useAsync(async () => {
    const w = await getWallet();
    cacheWallet(w);
    setWallet(w);
  });
  const [selected, setSelected] = useState<string[]>([]);
  const [agreed, setAgreed] = useState(false);
  const [problem, setProblem] = useState<'link.mustChoose' | 'link.mustAgree' | null>(null);
  const [unlinked, setUnlinked] = useState<string | null>(null);

  const linked = new Set(wallet?.links.map((l) => l.type) ?? []);

  const link = useAction(async () => {
    const answer = types.data;
    if (!answer) return;
    if (selected.length === 0) return setProblem('link.mustChoose');
    if (!agreed) return setProblem('link.mustAgree');
    const next = await linkLicences(selected, answer.notice.version);
    cacheWallet(next);
    if (fromWallet) back();
    else replace(ROUTES.licences);
  });

  const unlink = useAction(async (type: string) => {
    const answer = await unlinkLicenceType(type);
    const next = answer ?? (await getWallet());
    cacheWallet(next);
    setWallet(next);
    setUnlinked(type);
  });

  if (types.loading && !types.data) {
    return (
      <Screen title={t('link.title')}>
        <Loading />
      </Screen>
    );
  }
  if (!types.data) {
    return (
      <Screen title={t('link.title')}>
        <Notice tone="error">{describeError(types.error, t, lang)}</Notice>
        <Btn tone="secondary" label={t('common.retry')} onClick={types.reload} />
      </Screen>
    );
  }

  const { notice } = types.data;
  const system = notice.system[lang];
  const open = types.data.types.filter((info) => !linked.has(info.name));
  const toggle = (name: string, on: boolean) => {
    setProblem(null);
    setSelected((s) => (on ? [...s.filter((n) => n !== name), name] : s.filter((n) => n !== name)));
  };
  const chosen = types.data.types.filter((info) => selected.includes(info.name));

  return (
    <Screen title={t('link.title')} className="link">
      {unlinked && <Notice tone="success">{t('link.unlinked', { name: typeName(unlinked, lang) })}</Notice>}
      {unlink.error !== undefined && <Notice tone="error">{describeError(unlink.error, t, lang)}</Notice>}
      {linked.size > 0 && (
        <Panel title={t('link.linked')}>
          {types.data.types
            .filter((info) => linked.has(info.name))
            .map((info) => (
              <View key={info.name} className="link__linked" data-testid="linked-type">
                <View className="link__swatch" style={{ backgroundColor: info.face.color }} />
                <Text className="link__name">{info[lang]}</Text>
                <Btn
                  tone="link"
                  label={t('link.unlink', { name: info[lang] })}
                  busy={unlink.busy}
                  onClick={() => void unlink.run(info.name)}
                />
              </View>
            ))}
        </Panel>
      )}
      {open.length === 0 ? (
        <Notice tone="info">{t('link.allLinked')}</Notice>
      ) : (
        <>
          <Panel title={t('link.choose')}>
            {open.map((info) => {
              const on = selected.includes(info.name);
              return (
                <View key={info.name} className="link__type">
                  <View className="link__choice">
                    <View className="link__swatch" style={{ backgroundColor: info.face.color }} />
                    <Check
                      id={`link-${info.name}`}
                      checked={on}
                      onChange={(v) => toggle(info.name, v)}
                      label={info[lang]}
                    />
                  </View>
                  {on && (
                    <Text className="link__fields muted">
                      {t('link.fields', { fields: fieldList(info, lang) })}
                    </Text>
                  )}
                </View>
              );
            })}
          </Panel>
          <Panel>
            {chosen.length > 0 && (
              <Text className="link__summary" data-testid="link-summary">
                {t('link.summaryChosen', {
                  system,
                  types: chosen.map((info) => info[lang]).join(lang === 'zh' ? '、' : ', '),
                })}
              </Text>
            )}
            <LinkNotice notice={notice} />
          </Panel>
          <View className="actions">
            <Check
              id="link-consent"
              checked={agreed}
              onChange={(v) => {
                setAgreed(v);
                setProblem(null);
              }}
              label={t('link.agree', { system })}
            />
            {problem && <Notice tone="warn">{t(problem)}</Notice>}
            {link.busy && (
              <View data-testid="pull-progress">
                <Loading label={t('licences.pulling')} />
              </View>
            )}
            {link.error !== undefined && <Notice tone="error">{describeError(link.error, t, lang)}</Notice>}
            <Btn label={t('link.submit')} busy={link.busy} onClick={() => void link.run()} />
          </View>
        </>
      )}
    </Screen>
  );
}
