import { Input, Label, Text, View } from '@tarojs/components';
import './PasscodeField.scss';

const isH5 = process.env.TARO_ENV === 'h5';

export interface PasscodeFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (digits: string) => void;
  onSubmit?: () => void;
  hint?: string;
  error?: string;
  /** `new-password` when choosing one, `current-password` when typing it. */
  autoComplete: 'new-password' | 'current-password';
}

// Anything but digits is dropped as typed, and never more than the longest passcode.
const digitsOnly = (text: string) => text.replace(/\D/g, '').slice(0, 8);

/**
 * A masked field for the e-ID passcode: digits only, a number keypad, the hint and error tied to it. The
 * input carries `data-testid` = its id, so a browser test can type into it.
 */
export function PasscodeField({
  id,
  label,
  value,
  onChange,
  onSubmit,
  hint,
  error,
  autoComplete,
}: PasscodeFieldProps) {
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const cls = `field__input passcode-field__input${error ? ' field__input--invalid' : ''}`;
  return (
    <View className="field passcode-field">
      {isH5 ? (
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      ) : (
        <Label className="field__label" for={id}>
          {label}
        </Label>
      )}
      {isH5 ? (
        <input
          id={id}
          data-testid={id}
          className={cls}
          type="password"
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={8}
          autoComplete={autoComplete}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(digitsOnly(e.target.value))}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && onSubmit) onSubmit();
          }}
        />
      ) : (
        <Input
          id={id}
          data-testid={id}
          className={cls}
          type="number"
          password
          maxlength={8}
          value={value}
          onInput={(e) => onChange(digitsOnly(e.detail.value))}
          onConfirm={onSubmit}
        />
      )}
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
    </View>
  );
}
