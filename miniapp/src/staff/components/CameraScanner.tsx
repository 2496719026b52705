import { View } from '@tarojs/components';
import { Btn, Notice } from '../../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { useScanner, type ScanProblem } from '../../lib/useScanner';
import './CameraScanner.scss';

const PROBLEM_SENTENCE: Record<ScanProblem, MessageKey> = {
  denied: 'staff.camera.denied',
  no_camera: 'staff.camera.noCamera',
  camera_failed: 'staff.camera.failed',
  unsupported: 'staff.camera.unsupported',
  decoder_failed: 'staff.camera.decoderFailed',
};

/**
 * Scans the resident's bright code: a live camera view on the web, WeChat's scanner in the mini-program.
 * A decoded code goes to `onCode`, the path a pasted or wedge-scanned code takes; the camera then stops.
 */
export function CameraScanner({ onCode, disabled }: { onCode: (text: string) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const { state, start, stop, video, streaming } = useScanner(onCode);
  const { phase, problem, unclear } = state;
  const running = phase === 'starting' || phase === 'scanning';

  return (
    <View
      className="scanner"
      data-testid="camera-scanner"
      data-phase={phase}
      data-decoder={state.decoder ?? ''}
    >
      {process.env.TARO_ENV === 'h5' && streaming && (
        <View className="scanner__view">
          <video
            ref={video}
            className="scanner__video"
            aria-label={t('staff.camera.videoLabel')}
            playsInline
            muted
            autoPlay
          />
          <View className={`scanner__frame${phase === 'scanning' ? ' scanner__frame--live' : ''}`} />
        </View>
      )}
      {running && (
        <View className="scanner__status" role="status" aria-live="polite" data-testid="camera-status">
          <View className="spinner spinner--small" aria-hidden="true" />
          {phase === 'starting' ? t('staff.camera.starting') : t('staff.camera.scanning')}
        </View>
      )}
      {running && unclear && <Notice tone="warn">{t('staff.camera.unclear')}</Notice>}
      {phase === 'decoded' && <Notice tone="info">{t('staff.camera.decoded')}</Notice>}
      {problem && <Notice tone="error">{t(PROBLEM_SENTENCE[problem])}</Notice>}
      {running ? (
        <Btn tone="secondary" label={t('staff.camera.stop')} onClick={stop} />
      ) : (
        <Btn
          tone="secondary"
          label={
            process.env.TARO_ENV === 'h5'
              ? t(phase === 'idle' ? 'staff.camera.start' : 'staff.camera.again')
              : t('staff.scan')
          }
          onClick={() => void start()}
          disabled={disabled}
        />
      )}
    </View>
  );
}
