import { View } from '@tarojs/components';
import { Btn, Notice } from './ui';
import { useScanner, type ScanProblem } from '../lib/useScanner';
import './CodeScanner.scss';

/** The sentences a scanner shows, each subpackage's own under `<prefix>.<word>` (staff, calls, check). */
export type ScannerWord =
  | 'start'
  | 'again'
  | 'weapp'
  | 'stop'
  | 'starting'
  | 'scanning'
  | 'unclear'
  | 'decoded'
  | 'videoLabel'
  | 'denied'
  | 'noCamera'
  | 'failed'
  | 'unsupported'
  | 'decoderFailed';

const PROBLEM_WORD: Record<ScanProblem, ScannerWord> = {
  denied: 'denied',
  no_camera: 'noCamera',
  camera_failed: 'failed',
  unsupported: 'unsupported',
  decoder_failed: 'decoderFailed',
};

export interface CodeScannerProps<P extends string> {
  onCode: (text: string) => void;
  /** The subpackage's translator; it must know every `<prefix>.<word>` sentence. */
  t: (key: `${P}.${ScannerWord}`) => string;
  prefix: P;
  testId: string;
  tone?: 'primary' | 'secondary';
  disabled?: boolean;
}

/**
 * Scans a QR code with lib/useScanner: a live camera view with a frame on the web, WeChat's scanner in the
 * mini-program. A decoded code goes to `onCode`, the path a pasted code takes; the camera then stops. The
 * words are the caller's, since a resident, an officer and the public are told different things.
 *
 * @example <CodeScanner onCode={review} t={t} prefix="calls.camera" testId="code-scanner" />
 */
export function CodeScanner<P extends string>({
  onCode,
  t,
  prefix,
  testId,
  tone = 'secondary',
  disabled,
}: CodeScannerProps<P>) {
  const { state, start, stop, video, streaming } = useScanner(onCode);
  const { phase, problem, unclear } = state;
  const running = phase === 'starting' || phase === 'scanning';
  const h5 = process.env.TARO_ENV === 'h5';
  const say = (word: ScannerWord) => t(`${prefix}.${word}`);
  return (
    <View className="scanner" data-testid={testId} data-phase={phase} data-decoder={state.decoder ?? ''}>
      {h5 && streaming && (
        <View className="scanner__view">
          <video
            ref={video}
            className="scanner__video"
            aria-label={say('videoLabel')}
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
          {say(phase === 'starting' ? 'starting' : 'scanning')}
        </View>
      )}
      {running && unclear && <Notice tone="warn">{say('unclear')}</Notice>}
      {phase === 'decoded' && <Notice tone="info">{say('decoded')}</Notice>}
      {problem && <Notice tone="error">{say(PROBLEM_WORD[problem])}</Notice>}
      {running ? (
        <Btn tone="secondary" label={say('stop')} onClick={stop} />
      ) : (
        <Btn
          tone={tone}
          label={h5 ? say(phase === 'idle' ? 'start' : 'again') : say('weapp')}
          onClick={() => void start()}
          disabled={disabled}
        />
      )}
    </View>
  );
}
