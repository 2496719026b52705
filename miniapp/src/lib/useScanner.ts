import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { loadDecoder, type Decoder, type DecoderKind } from './decoder';

/** Why the camera cannot scan; each has its own sentence on the page. */
export type ScanProblem = 'denied' | 'no_camera' | 'camera_failed' | 'unsupported' | 'decoder_failed';

export type ScanPhase = 'idle' | 'starting' | 'scanning' | 'decoded' | 'failed';

export interface ScanState {
  phase: ScanPhase;
  problem?: ScanProblem;
  /** Frames keep coming but none decodes: the code is blurry, partial, too far or reflecting. */
  unclear: boolean;
  decoder?: DecoderKind;
}

// About ten looks a second is plenty for a code held up to a window and leaves the page responsive.
const FRAME_GAP_MS = 100;
// Counted in frames looked at, not in seconds, so a slow machine gets as many chances as a fast one.
export const UNCLEAR_AFTER_MISSES = 25;

/** The getUserMedia failure names (W3C Media Capture, plus older Chromium spellings) by problem. */
export function cameraProblem(error: unknown): ScanProblem {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no_camera';
    default:
      return 'camera_failed';
  }
}

/** What `Taro.scanCode` failing means in WeChat: cancelled (nothing to say) or a refused permission. */
function weappProblem(error: unknown): ScanProblem | null {
  const message = String((error as { errMsg?: unknown } | null)?.errMsg ?? '');
  if (/cancel/i.test(message)) return null;
  if (/auth|permission|deny/i.test(message)) return 'denied';
  return 'camera_failed';
}

const IDLE: ScanState = { phase: 'idle', unclear: false };

/**
 * Scanning a QR code (a bright code, a document code, an annotated copy's print). On H5: the camera, frames
 * handed to the QR decoder until one reads, then the camera stops and `onCode` gets the text. On weapp:
 * WeChat's own scanner (`Taro.scanCode`).
 * `video` is the ref for the `<video>` the frames are shown in and read from.
 */
export function useScanner(onCode: (text: string) => void) {
  const [state, setState] = useState<ScanState>(IDLE);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [decoder, setDecoder] = useState<Decoder | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  // Bumped by every start and stop, so an answer from an abandoned attempt (the camera granted after the
  // officer pressed stop or left the page) switches nothing on.
  const attempt = useRef(0);
  const latestOnCode = useRef(onCode);
  latestOnCode.current = onCode;

  useEffect(
    () => () => {
      attempt.current += 1;
    },
    [],
  );

  useEffect(() => () => stream?.getTracks().forEach((track) => track.stop()), [stream]);

  const stop = useCallback(() => {
    attempt.current += 1;
    setStream(null);
    setState(IDLE);
  }, []);

  const fail = (problem: ScanProblem, kind?: DecoderKind) => {
    setStream(null);
    setState({ phase: 'failed', problem, unclear: false, decoder: kind });
  };

  const startWeapp = async () => {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setState({ phase: 'decoded', unclear: false });
      latestOnCode.current(result);
    } catch (error) {
      const problem = weappProblem(error);
      if (problem) fail(problem);
      else setState(IDLE);
    }
  };

  const startH5 = async () => {
    const mine = ++attempt.current;
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      // Also what an insecure (plain-http, non-local) origin looks like: mediaDevices is absent there.
      fail('unsupported');
      return;
    }
    setStream(null);
    setState({ phase: 'starting', unclear: false });
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: 'environment' } },
        audio: false,
      });
    } catch (error) {
      if (mine === attempt.current) fail(cameraProblem(error));
      return;
    }
    if (mine !== attempt.current) {
      media.getTracks().forEach((track) => track.stop());
      return;
    }
    // The decoder is loaded only once the camera is granted: a refused or missing camera costs no download.
    let loaded: Decoder;
    try {
      loaded = decoder ?? (await loadDecoder());
    } catch {
      media.getTracks().forEach((track) => track.stop());
      if (mine === attempt.current) fail('decoder_failed');
      return;
    }
    if (mine !== attempt.current) {
      media.getTracks().forEach((track) => track.stop());
      return;
    }
    setDecoder(loaded);
    setState({ phase: 'starting', unclear: false, decoder: loaded.kind });
    setStream(media);
  };

  const start = () => (process.env.TARO_ENV === 'h5' ? startH5() : startWeapp());

  useEffect(() => {
    const el = video.current;
    if (!stream || !decoder || !el) return;
    const mine = attempt.current;
    const live = () => mine === attempt.current;
    el.srcObject = stream;
    // Autoplay is muted and inline, so it is allowed; where play() is refused the frames still arrive.
    void Promise.resolve()
      .then(() => el.play())
      .catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let misses = 0;
    // The polyfill fetches and compiles its WebAssembly on the first detect: until that answers, the page
    // still says "starting", and if it fails the decoder could not load.
    let answered = false;

    const look = async () => {
      if (!live()) return;
      if (el.readyState >= 2 && el.videoWidth > 0) {
        let text: string | undefined;
        try {
          const found = await decoder.detector.detect(el);
          text = found.find((f) => f.rawValue)?.rawValue;
          if (!answered && live()) setState({ phase: 'scanning', unclear: false, decoder: decoder.kind });
          answered = true;
        } catch {
          if (!answered) {
            if (live()) fail('decoder_failed', decoder.kind);
            return;
          }
        }
        if (!live()) return;
        if (text) {
          attempt.current += 1;
          setStream(null);
          setState({ phase: 'decoded', unclear: false, decoder: decoder.kind });
          latestOnCode.current(text);
          return;
        }
        misses += 1;
        if (misses === UNCLEAR_AFTER_MISSES)
          setState({ phase: 'scanning', unclear: true, decoder: decoder.kind });
      }
      timer = setTimeout(() => void look(), FRAME_GAP_MS);
    };
    void look();
    return () => {
      if (timer) clearTimeout(timer);
    };
  }, [stream, decoder]);

  return { state, start, stop, video, streaming: stream !== null };
}
