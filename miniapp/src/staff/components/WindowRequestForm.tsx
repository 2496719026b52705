import { Text, View } from '@tarojs/components';
import {
  DEFAULT_ACCESS_MS,
  documentType,
  utf8Encode,
  type CreateDocumentCallRequest,
  type DocumentService,
  type ServiceDocument,
  type WindowDocumentCall,
} from '@eid/shared';
import { useState } from 'react';
import { Btn, Check, Choose, Field, Loading, Notice, Panel } from '../../components/ui';
import { useAction, useAsync } from '../../lib/hooks';
import { createDocumentCall, getDocumentServices } from '../../services/window';
import { useI18n, type MessageKey } from '../i18n';
import { WindowError } from './WindowError';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// What a window may pick; each service keeps only the ones within its bound.
const ACCESS_CHOICES = [HOUR, 4 * HOUR, DEFAULT_ACCESS_MS, 2 * DAY, 3 * DAY, 7 * DAY];
/** The BFF's bound on the purpose (characters) and the request code's (UTF-8 bytes). */
const PURPOSE_MAX_CHARS = 64;
const PURPOSE_MAX_BYTES = 128;

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "1 个工作日（默认）", "4 小时", "3 天". */
export function accessText(ms: number, t: Translate): string {
  if (ms === DEFAULT_ACCESS_MS) return t('window.access.workingDay');
  if (ms % DAY === 0) return t('window.access.day', { n: ms / DAY });
  return t('window.access.hour', { n: Math.round(ms / HOUR) });
}

/** Why the purpose cannot be sent, or undefined. The code signs it as trimmed plain text. */
function purposeProblem(purpose: string): MessageKey | undefined {
  if (!purpose) return 'window.purposeRequired';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(purpose)) return 'window.purposePlain';
  if (purpose.length > PURPOSE_MAX_CHARS || utf8Encode(purpose).length > PURPOSE_MAX_BYTES)
    return 'window.purposeTooLong';
  return undefined;
}

/** The documents of a service as the form lists them: required first, each with its readable fields. */
function serviceRows(service: DocumentService) {
  return [
    ...service.required.map((d) => ({ ...d, required: true })),
    ...service.optional.map((d) => ({ ...d, required: false })),
  ];
}

function DocumentRow({
  doc,
  required,
  checked,
  onChange,
  idPrefix,
}: {
  doc: ServiceDocument;
  required: boolean;
  checked: boolean;
  onChange: (on: boolean) => void;
  idPrefix: string;
}) {
  const { t, lang } = useI18n();
  const type = documentType(doc.type);
  const name = type?.[lang] ?? doc.type;
  const label = (key: string) => type?.fields.find((f) => f.key === key)?.[lang] ?? key;
  const fields = doc.fields.map(label).join(lang === 'zh' ? '、' : ', ');
  return (
    <View
      className={`window-doc${required ? ' window-doc--required' : ''}`}
      data-testid={`window-doc-${doc.type}`}
      data-required={required ? 'true' : 'false'}
    >
      {required ? (
        <View className="window-doc__head">
          <Text className="window-doc__name">{name}</Text>
          <Text className="window-doc__tag">{t('window.required')}</Text>
        </View>
      ) : (
        <View className="window-doc__head">
          <Check id={`${idPrefix}-${doc.type}`} checked={checked} onChange={onChange} label={name} />
          <Text className="window-doc__tag window-doc__tag--optional">{t('window.optional')}</Text>
        </View>
      )}
      <Text className="window-doc__fields">{t('window.fieldsRead', { fields })}</Text>
    </View>
  );
}

/**
 * The window's new request: a service from the published catalogue, the purpose, its documents (the
 * required ones fixed, the optional ones to tick) with the fields each may read shown but not editable, and
 * how long the window may read them after approval (bounded by the service; default one working day). The
 * form can only ask what the service allows: it sends types, never fields, so the BFF applies the catalogue's.
 */
export function WindowRequestForm({ onCreated }: { onCreated: (call: WindowDocumentCall) => void }) {
  const { t, lang } = useI18n();
  const services = useAsync(getDocumentServices);
  const [chosen, setChosen] = useState('');
  const [purposes, setPurposes] = useState<Record<string, string>>({});
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const [accessFor, setAccessFor] = useState<Record<string, number>>({});
  const [addressedTo, setAddressedTo] = useState('');
  const [tried, setTried] = useState(false);

  const list = services.data ?? [];
  const service = list.find((s) => s.code === chosen) ?? list[0];
  const code = service?.code ?? '';
  const purpose = (purposes[code] ?? (service ? `办理${service.zh}` : '')).trim();
  const accessChoices = service ? ACCESS_CHOICES.filter((ms) => ms <= service.maxAccessMs) : [];
  const access = accessFor[code] ?? Math.min(DEFAULT_ACCESS_MS, service?.maxAccessMs ?? DEFAULT_ACCESS_MS);
  const rows = service ? serviceRows(service) : [];
  const isTicked = (type: string) => ticked[`${code}:${type}`] === true;
  const documents = rows.filter((d) => d.required || isTicked(d.type)).map((d) => ({ type: d.type }));
  const purposeError = purposeProblem(purpose);
  const noDocument = documents.length === 0;

  const create = useAction(async () => {
    setTried(true);
    if (!service || purposeError || noDocument) return;
    const body: CreateDocumentCallRequest = {
      service: service.code,
      purpose,
      documents,
      accessForMs: access,
      ...(addressedTo.trim() && { addressedTo: addressedTo.trim() }),
    };
    onCreated(await createDocumentCall(body));
  });

  if (services.loading) return <Loading />;
  if (services.error !== undefined || !service) {
    return (
      <Panel>
        {services.error !== undefined && <WindowError error={services.error} />}
        <Btn tone="secondary" label={t('common.retry')} onClick={services.reload} />
      </Panel>
    );
  }

  return (
    <Panel className="window-form">
      <Choose
        id="window-service"
        label={t('window.service')}
        value={code}
        choices={list.map((s) => ({ value: s.code, label: s[lang] }))}
        onChange={(value) => {
          setChosen(value);
          setTried(false);
          create.clearError();
        }}
      />
      <Text className="window-form__basis">{t('window.basis', { basis: service.basis })}</Text>
      <Field
        id="window-purpose"
        label={t('window.purpose')}
        hint={t('window.purposeHint')}
        value={purposes[code] ?? `办理${service.zh}`}
        onChange={(value) => setPurposes((p) => ({ ...p, [code]: value }))}
        error={tried && purposeError ? t(purposeError) : undefined}
      />
      <View className="window-form__docs" role="group" aria-label={t('window.documents')}>
        <Text className="field__label">{t('window.documents')}</Text>
        <Text className="field__hint">{t('window.documentsHint')}</Text>
        {rows.map((d) => (
          <DocumentRow
            key={`${code}:${d.type}`}
            doc={d}
            required={d.required}
            checked={d.required || isTicked(d.type)}
            onChange={(on) => setTicked((m) => ({ ...m, [`${code}:${d.type}`]: on }))}
            idPrefix={`window-doc-${code}`}
          />
        ))}
        {tried && noDocument && <Notice tone="error">{t('window.noDocument')}</Notice>}
      </View>
      <Choose
        id="window-access"
        label={t('window.access')}
        value={String(access)}
        choices={accessChoices.map((ms) => ({ value: String(ms), label: accessText(ms, t) }))}
        onChange={(value) => setAccessFor((m) => ({ ...m, [code]: Number(value) }))}
      />
      <Field
        id="window-addressed"
        label={t('window.addressedTo')}
        hint={t('window.addressedToHint')}
        value={addressedTo}
        onChange={setAddressedTo}
        multiline
      />
      {create.error !== undefined && <WindowError error={create.error} />}
      <Btn
        label={create.busy ? t('window.creating') : t('window.create')}
        onClick={() => void create.run()}
        busy={create.busy}
      />
    </Panel>
  );
}
