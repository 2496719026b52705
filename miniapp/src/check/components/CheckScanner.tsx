import { View } from '@tarojs/components';
import { Btn, Notice } from '../../components/ui';
import { useScanner, type ScanProblem } from '../../lib/useScanner';
import { useI18n, type MessageKey } from '../i18n';

const PROBLEM_SENTENCE: Record<ScanProblem, MessageKey> = {
  denied: 'check.camera.denied',
  no_camera: 'check.camera.noCamera',
  camera_failed: 'check.camera.failed',
  unsupported: 'check.camera.unsupported',
  decoder_failed: 'check.camera.decoderFailed',
};

/**
 * Scans a document code on a phone or the QR code printed on an annotated copy, with the camera loop the
 * staff terminal uses (lib/useScanner): a live view on the web, WeChat's scanner in the mini-program.
 */
export function CheckScanner({ onCode }: { onCode: (text: string) => void }) {
  const { t } = useI18n();
  const { state, start, stop, video, streaming } = useScanner(onCode);
  const { phase, problem, unclear } = state;
  const running = phase === 'starting' || phase === 'scanning';
  const h5 = process.env.TARO_ENV === 'h5';
  return (
    <View className="check-scanner" data-testid="check-scanner" data-phase={phase}>
      {h5 && streaming && (
        <View className="check-scanner__view">
          <video
            ref={video}
            className="check-scanner__video"
            aria-label={t('check.camera.videoLabel')}
            playsInline
            muted
            autoPlay
          />
        </View>
      )}
      {running && (
        <View className="check-scanner__status" role="status" aria-live="polite">
          {t(phase === 'starting' ? 'check.camera.starting' : 'check.camera.scanning')}
        </View>
      )}
      {running && unclear && <Notice tone="warn">{t('check.camera.unclear')}</Notice>}
      {phase === 'decoded' && <Notice tone="info">{t('check.camera.decoded')}</Notice>}
      {problem && <Notice tone="error">{t(PROBLEM_SENTENCE[problem])}</Notice>}
      {running ? (
        <Btn tone="secondary" label={t('check.camera.stop')} onClick={stop} />
      ) : (
        <Btn
          tone="secondary"
          label={
            h5 ? t(phase === 'idle' ? 'check.camera.start' : 'check.camera.again') : t('check.camera.weapp')
          }
          onClick={() => void start()}
        />
      )}
    </View>
  );
}
