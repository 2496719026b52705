import { View } from '@tarojs/components';
import { useI18n } from '../i18n';
import { Btn } from '../../components/ui';
import './ControlCodes.scss';

/**
 * The three four-digit choices, one of them the code the desktop sign-in page shows: big buttons in the
 * BFF's order (which does not give the answer away), none preselected. The one tapped is marked; the
 * BFF learns it only on approval, and a wrong one ends the sign-in there.
 */
export function ControlCodes({
  choices,
  chosen,
  onChoose,
  disabled,
}: {
  choices: string[];
  chosen: string | undefined;
  onChoose: (code: string) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <View className="control-codes" role="group" aria-label={t('signin.step.code')}>
      {choices.map((code) => (
        <Btn
          key={code}
          testId={`signin-code-${code}`}
          className={`control-codes__code${chosen === code ? ' control-codes__code--on' : ''}`}
          tone={chosen === code ? 'primary' : 'secondary'}
          label={code}
          accessibleName={t('signin.code.accessible', { code })}
          pressed={chosen === code}
          disabled={disabled}
          onClick={() => onChoose(code)}
        />
      ))}
    </View>
  );
}
