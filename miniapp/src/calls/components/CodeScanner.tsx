import { View } from '@tarojs/components';
import { Btn, Notice } from '../../components/ui';
import { useScanner, type ScanProblem } from '../../lib/useScanner';
import { useI18n, type MessageKey } from '../i18n';
import './CodeScanner.scss';

const PROBLEM_SENTENCE: Record<ScanProblem, MessageKey> = {
  denied: 'calls.camera.denied',
  no_camera: 'calls.camera.noCamera',
  camera_failed: 'calls.camera.failed',
  unsupported: 'calls.camera.unsupported',
  decoder_failed: 'calls.camera.decoderFailed',
};

/**
 * Scans a window's request code with the camera loop the staff terminal uses (lib/useScanner): a live
 * view on the web, WeChat's own scanner in the mini-program. The text read goes to `onCode`.
 */
export function CodeScanner({ onCode }: { onCode: (text: string) => void }) {
  const { t } = useI18n();
  const { state, start, stop, video, streaming } = useScanner(onCode);
  const { phase, problem, unclear } = state;
  const running = phase === 'starting' || phase === 'scanning';
  const h5 = process.env.TARO_ENV === 'h5';
  return (
    <View className="code-scanner" data-testid="code-scanner" data-phase={phase}>
      {h5 && streaming && (
        <View className="code-scanner__view">
          <video
            ref={video}
            className="code-scanner__video"
            aria-label={t('calls.camera.videoLabel')}
            playsInline
            muted
            autoPlay
          />
          <View
            className={`code-scanner__frame${phase === 'scanning' ? ' code-scanner__frame--live' : ''}`}
          />
        </View>
      )}
      {running && (
        <View className="code-scanner__status" role="status" aria-live="polite">
          <View className="spinner code-scanner__spinner" aria-hidden="true" />
          {t(phase === 'starting' ? 'calls.camera.starting' : 'calls.camera.scanning')}
        </View>
      )}
      {running && unclear && <Notice tone="warn">{t('calls.camera.unclear')}</Notice>}
      {phase === 'decoded' && <Notice tone="info">{t('calls.camera.decoded')}</Notice>}
      {problem && <Notice tone="error">{t(PROBLEM_SENTENCE[problem])}</Notice>}
      {running ? (
        <Btn tone="secondary" label={t('calls.camera.stop')} onClick={stop} />
      ) : (
        <Btn
          label={
            h5 ? t(phase === 'idle' ? 'calls.camera.start' : 'calls.camera.again') : t('calls.camera.weapp')
          }
          onClick={() => void start()}
        />
      )}
    </View>
  );
}
