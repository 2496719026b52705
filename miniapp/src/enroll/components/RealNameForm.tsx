import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Btn, Field, Notice } from '../../components/ui';
import { useI18n } from '../i18n';
import { clock } from '../../lib/clock';
import { idNumberProblem, nameProblem, normalizeIdNumber, normalizeName } from '../lib/validate';

export interface RealNameFormProps {
  /** Sends the normalised name and number; rejects to show `error`. */
  onSubmit: (name: string, idNumber: string) => void;
  busy?: boolean;
  /** The plain-language sentence of the last server failure. */
  error?: string;
  /** Attempts left today, shown once some have been used. */
  remaining?: number;
  /** The present, for the birth-date check (injected by tests). */
  now?: () => number;
}

/** Name and ID number with instant checks: format, region, birth date and check digit. */
export function RealNameForm({ onSubmit, busy, error, remaining, now = clock.now }: RealNameFormProps) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [touched, setTouched] = useState({ name: false, idNumber: false });

  const nameError = touched.name ? nameProblem(name) : undefined;
  const idComplete = touched.idNumber || normalizeIdNumber(idNumber).length >= 18;
  const idError =
    idNumber === '' && !touched.idNumber ? undefined : idNumberProblem(idNumber, now(), idComplete);

  const submit = () => {
    setTouched({ name: true, idNumber: true });
    if (nameProblem(name) || idNumberProblem(idNumber, now(), true)) return;
    onSubmit(normalizeName(name), normalizeIdNumber(idNumber));
  };

  return (
    <View className="form">
      <Field
        id="real-name-name"
        label={t('realName.name')}
        placeholder={t('realName.namePlaceholder')}
        value={name}
        onChange={setName}
        onBlur={() => setTouched((s) => ({ ...s, name: true }))}
        error={nameError && t(nameError)}
        autoComplete="name"
        maxLength={70}
      />
      <Field
        id="real-name-id"
        label={t('realName.idNumber')}
        placeholder={t('realName.idPlaceholder')}
        value={idNumber}
        onChange={setIdNumber}
        onBlur={() => setTouched((s) => ({ ...s, idNumber: true }))}
        error={idError && t(idError)}
        autoComplete="off"
        maxLength={22}
        onSubmit={submit}
      />
      <Text className="muted">{t('realName.privacy')}</Text>
      {error && <Notice tone="error">{error}</Notice>}
      {!error && remaining !== undefined && (
        <Text className="muted">{t('error.attemptsLeft', { n: remaining })}</Text>
      )}
      <Btn label={busy ? t('realName.checking') : t('realName.submit')} onClick={submit} busy={busy} />
    </View>
  );
}
