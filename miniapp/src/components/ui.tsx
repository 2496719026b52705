import {
  Button,
  Checkbox as TaroCheckbox,
  Input,
  Label,
  Picker,
  Text,
  Textarea,
  View,
} from '@tarojs/components';
import type { ReactNode } from 'react';
import { setLang, useI18n } from '../i18n';
import { back } from '../lib/nav';

// On the web the controls are native HTML elements (keyboard, screen readers and autofill work as
// users expect); in WeChat they are the platform's components. The branch is decided at build time.
const isH5 = process.env.TARO_ENV === 'h5';

export type Tone = 'primary' | 'secondary' | 'danger' | 'link';

export interface BtnProps {
  label: string;
  onClick: () => void;
  tone?: Tone;
  disabled?: boolean;
  busy?: boolean;
  /** Spoken name when the visible label alone is not enough. */
  accessibleName?: string;
  className?: string;
  /** `data-testid` on the button element itself, for a page a headless browser drives. */
  testId?: string;
  /** For one choice among several: announced as pressed. */
  pressed?: boolean;
}

/** A button with an accessible name and a busy state. */
export function Btn({
  label,
  onClick,
  tone = 'primary',
  disabled,
  busy,
  accessibleName,
  className,
  testId,
  pressed,
}: BtnProps) {
  const cls = `btn btn--${tone}${busy ? ' btn--busy' : ''}${className ? ` ${className}` : ''}`;
  if (isH5) {
    return (
      <button
        type="button"
        className={cls}
        onClick={onClick}
        disabled={disabled || busy}
        aria-busy={busy || undefined}
        aria-label={accessibleName}
        aria-pressed={pressed}
        data-testid={testId}
      >
        {busy && <span className="spinner spinner--inline" aria-hidden="true" />}
        {label}
      </button>
    );
  }
  return (
    <Button
      className={cls}
      onClick={onClick}
      disabled={disabled || busy}
      loading={busy}
      aria-label={accessibleName}
      data-testid={testId}
    >
      {label}
    </Button>
  );
}

export interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  hint?: string;
  placeholder?: string;
  maxLength?: number;
  password?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric';
  multiline?: boolean;
  onSubmit?: () => void;
}

/** A labelled text input whose error is announced and tied to it. */
export function Field(props: FieldProps) {
  const { id, label, value, onChange, onBlur, error, hint, placeholder, maxLength, password, multiline } =
    props;
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const messages = (
    <>
      {hint && (
        <Text className="field__hint" id={`${id}-hint`}>
          {hint}
        </Text>
      )}
      {error && (
        <View className="field__error" id={`${id}-error`} role="alert">
          <Text>{error}</Text>
        </View>
      )}
    </>
  );
  if (isH5) {
    const common = {
      id,
      className: `field__input${error ? ' field__input--invalid' : ''}`,
      value,
      placeholder,
      maxLength,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy,
      onBlur,
    };
    return (
      <View className="field">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {multiline ? (
          <textarea
            {...common}
            rows={4}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && props.onSubmit) {
                e.preventDefault();
                props.onSubmit();
              }
            }}
          />
        ) : (
          <input
            {...common}
            type={password ? 'password' : 'text'}
            autoComplete={props.autoComplete}
            inputMode={props.inputMode}
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && props.onSubmit) props.onSubmit();
            }}
          />
        )}
        {messages}
      </View>
    );
  }
  return (
    <View className="field">
      <Label className="field__label" for={id}>
        {label}
      </Label>
      {multiline ? (
        <Textarea
          id={id}
          className={`field__input${error ? ' field__input--invalid' : ''}`}
          value={value}
          placeholder={placeholder}
          maxlength={maxLength ?? -1}
          onInput={(e) => onChange(e.detail.value)}
          onBlur={onBlur}
          onConfirm={props.onSubmit}
        />
      ) : (
        <Input
          id={id}
          className={`field__input${error ? ' field__input--invalid' : ''}`}
          value={value}
          placeholder={placeholder}
          maxlength={maxLength ?? 140}
          password={password}
          type={props.inputMode === 'numeric' ? 'idcard' : 'text'}
          onInput={(e) => onChange(e.detail.value)}
          onBlur={onBlur}
          onConfirm={props.onSubmit}
        />
      )}
      {messages}
    </View>
  );
}

/** A checkbox with its label; the whole row is the touch target. */
export function Check({
  id,
  checked,
  onChange,
  label,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
}) {
  if (isH5) {
    return (
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        <span>{label}</span>
      </label>
    );
  }
  return (
    <View className="check" onClick={() => onChange(!checked)} aria-role="checkbox" aria-checked={checked}>
      <TaroCheckbox value={id} checked={checked} />
      <Text>{label}</Text>
    </View>
  );
}

export interface Choice {
  value: string;
  label: string;
}

/** A labelled single choice from a list (native select on the web, a picker in WeChat). */
export function Choose({
  id,
  label,
  value,
  choices,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  choices: Choice[];
  onChange: (value: string) => void;
}) {
  if (isH5) {
    return (
      <View className="field">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        <select
          id={id}
          className="field__input field__select"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        >
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </View>
    );
  }
  const index = Math.max(
    0,
    choices.findIndex((c) => c.value === value),
  );
  return (
    <View className="field">
      <Text className="field__label">{label}</Text>
      <Picker
        mode="selector"
        range={choices.map((c) => c.label)}
        value={index}
        onChange={(e) => onChange(choices[Number(e.detail.value)]?.value ?? '')}
      >
        <View className="field__input field__select" aria-label={label}>
          {choices[index]?.label ?? ''}
        </View>
      </Picker>
    </View>
  );
}

/** A message block: errors are announced assertively, the rest politely. */
export function Notice({
  tone,
  children,
}: {
  tone: 'error' | 'info' | 'success' | 'warn';
  children: ReactNode;
}) {
  return (
    <View className={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Text className="notice__text">{children}</Text>
    </View>
  );
}

/** The loading state of a page or a section. */
export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <View className="loading" role="status" aria-live="polite">
      <View className="spinner" aria-hidden="true" />
      <Text className="loading__text">{label ?? t('common.loading')}</Text>
    </View>
  );
}

/** The language switch: shows the other language's name. */
export function LangSwitch() {
  const { lang, t } = useI18n();
  return (
    <Btn
      tone="link"
      className="lang-switch"
      label={t('common.langSwitch')}
      accessibleName={t('common.langSwitchLabel')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    />
  );
}

/** The frame of every page: a heading, the language switch and the content. */
export function Screen({
  title,
  children,
  className,
  showBack = true,
}: {
  title: string;
  children: ReactNode;
  className?: string;
  /** The web has no native title bar with a back arrow, so pages below the first offer one here. */
  showBack?: boolean;
}) {
  const { t } = useI18n();
  return (
    <View className={`screen${className ? ` ${className}` : ''}`}>
      {isH5 && showBack && (
        <Btn tone="link" className="screen__back" label={`‹ ${t('common.back')}`} onClick={back} />
      )}
      <View className="screen__bar">
        {isH5 ? (
          <h1 className="screen__title">{title}</h1>
        ) : (
          <Text className="screen__title" aria-role="heading">
            {title}
          </Text>
        )}
        <LangSwitch />
      </View>
      <View className="screen__body">{children}</View>
    </View>
  );
}

/** A white panel grouping related content. */
export function Panel({
  title,
  children,
  className,
}: {
  title?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <View className={`panel${className ? ` ${className}` : ''}`}>
      {title &&
        (isH5 ? <h2 className="panel__title">{title}</h2> : <Text className="panel__title">{title}</Text>)}
      {children}
    </View>
  );
}

/** A label and its value on one row (wraps on narrow screens and large text). */
export function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <View className="row">
      <Text className="row__label">{label}</Text>
      <Text className="row__value">{value}</Text>
    </View>
  );
}
