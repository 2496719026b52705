import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { asAppError, describeError } from '../lib/errors';
import { useI18n } from '../i18n';
import { platformFaceVerify, submitCapture, takePhotoWeapp, usesPlatformFaceVerify } from '../platform/face';
import type { FaceCheckStart } from '@eid/shared';
import { CameraCapture } from './CameraCapture';
import { Btn, Loading, Notice } from './ui';

type Phase = 'idle' | 'starting' | 'capture' | 'uploading' | 'checking' | 'passed';

export interface FaceCheckProps<T> {
  /** Step 1: the BFF asks the face service for a verify id. */
  start: () => Promise<FaceCheckStart>;
  /** Step 3: the BFF reads the result server-side and answers what the caller needs. */
  complete: (verifyId: string) => Promise<T>;
  onPassed: (result: T) => void;
  startLabel?: string;
}

/**
 * The three-step face check behind one adapter: start on the BFF, capture against the face service
 * (camera or photo on the web, the camera or WeChat's own verification in the mini-program), then
 * complete on the BFF. Every failure says what to do next.
 */
export function FaceCheck<T>({ start, complete, onPassed, startLabel }: FaceCheckProps<T>) {
  const { t, lang } = useI18n();
  const [phase, setPhase] = useState<Phase>('idle');
  const [verifyId, setVerifyId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const exhausted = error !== undefined && asAppError(error).code === 'ATTEMPTS_EXHAUSTED';

  const fail = (err: unknown) => {
    setError(err);
    const code = asAppError(err).code;
    // A photo the service could not use can be retaken under the same verify id (web only).
    if (code === 'FACE_POOR_QUALITY' && verifyId && process.env.TARO_ENV === 'h5') {
      setPhase('capture');
      return;
    }
    setVerifyId(null);
    setPhase('idle');
  };

  const finish = async (id: string) => {
    setPhase('checking');
    const result = await complete(id);
    setPhase('passed');
    onPassed(result);
  };

  const send = async (id: string, image: string) => {
    setPhase('uploading');
    await submitCapture(id, image);
    await finish(id);
  };

  const begin = async () => {
    setError(undefined);
    setPhase('starting');
    try {
      const { verifyId: id } = await start();
      setVerifyId(id);
      if (usesPlatformFaceVerify) {
        await platformFaceVerify(id);
        await finish(id);
      } else if (process.env.TARO_ENV === 'weapp') {
        await send(id, await takePhotoWeapp());
      } else {
        setPhase('capture');
      }
    } catch (err) {
      fail(err);
    }
  };

  const onImage = (image: string) => {
    if (!verifyId) return;
    setError(undefined);
    send(verifyId, image).catch(fail);
  };

  const busyLabel =
    phase === 'starting'
      ? t('face.preparing')
      : phase === 'uploading'
        ? t('face.uploading')
        : t('face.checking');

  return (
    <View className="face">
      <View className="face__frame" aria-hidden="true">
        <View className="face__head" />
        <View className="face__shoulders" />
      </View>
      <View className="bullets face__tips" role="list">
        {(['face.tipLight', 'face.tipFace', 'face.tipLive'] as const).map((key) => (
          <View key={key} className="bullet" role="listitem">
            <Text>{t(key)}</Text>
          </View>
        ))}
      </View>
      {error !== undefined && <Notice tone="error">{describeError(error, t, lang)}</Notice>}
      {(phase === 'starting' || phase === 'uploading' || phase === 'checking') && (
        <Loading label={busyLabel} />
      )}
      {phase === 'idle' && (
        <Btn
          label={error === undefined ? (startLabel ?? t('face.start')) : t('common.retry')}
          onClick={() => void begin()}
          disabled={exhausted}
        />
      )}
      {phase === 'capture' && <CameraCapture onImage={onImage} />}
      {phase === 'passed' && <Notice tone="success">{t('face.passed')}</Notice>}
    </View>
  );
}
