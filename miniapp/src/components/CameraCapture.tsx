import { View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { Btn, Notice } from './ui';

// Photos above this are re-encoded smaller; the face service takes up to about 1.5 MB.
const MAX_UPLOAD_BYTES = 1_000_000;
const MAX_EDGE_PX = 1024;

function dataUrlPayload(dataUrl: string): string {
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function shrink(file: File): Promise<string> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('unreadable image'));
      img.src = url;
    });
    const scale = Math.min(1, MAX_EDGE_PX / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.naturalWidth * scale);
    canvas.height = Math.round(img.naturalHeight * scale);
    canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
    return dataUrlPayload(canvas.toDataURL('image/jpeg', 0.85));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The web's capture step: the camera where the browser permits it, a file picker (which on phones
 * offers the camera too) always. Hands over the photo as base64 and keeps nothing.
 */
export function CameraCapture({
  onImage,
  disabled,
}: {
  onImage: (base64: string) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [cameraFailed, setCameraFailed] = useState(false);
  const [fileFailed, setFileFailed] = useState(false);
  const canUseCamera =
    typeof navigator !== 'undefined' &&
    Boolean(navigator.mediaDevices?.getUserMedia) &&
    window.isSecureContext;

  useEffect(() => {
    if (video.current && stream) {
      video.current.srcObject = stream;
      void video.current.play().catch(() => undefined);
    }
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, [stream]);

  const openCamera = async () => {
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false }));
    } catch {
      setCameraFailed(true);
    }
  };

  const takePhoto = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')!.drawImage(v, 0, 0);
    const image = dataUrlPayload(canvas.toDataURL('image/jpeg', 0.9));
    setStream(null);
    onImage(image);
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setFileFailed(false);
    try {
      onImage(file.size > MAX_UPLOAD_BYTES ? await shrink(file) : dataUrlPayload(await readAsDataUrl(file)));
    } catch {
      setFileFailed(true);
    }
  };

  return (
    <View className="capture">
      {stream && (
        <video
          ref={video}
          className="capture__video"
          aria-label={t('face.videoLabel')}
          playsInline
          muted
          autoPlay
        />
      )}
      {cameraFailed && <Notice tone="warn">{t('face.cameraUnavailable')}</Notice>}
      {fileFailed && <Notice tone="error">{t('error.FACE_POOR_QUALITY')}</Notice>}
      {stream ? (
        <Btn label={t('face.takePhoto')} onClick={takePhoto} disabled={disabled} />
      ) : (
        canUseCamera &&
        !cameraFailed && (
          <Btn label={t('face.useCamera')} onClick={() => void openCamera()} disabled={disabled} />
        )
      )}
      <label
        className={`btn btn--secondary capture__pick${disabled ? ' capture__pick--off' : ''}`}
        htmlFor="face-file"
      >
        {t('face.choosePhoto')}
        <input
          id="face-file"
          className="visually-hidden"
          type="file"
          accept="image/jpeg,image/png"
          capture="user"
          disabled={disabled}
          onChange={(e) => {
            const input = e.target;
            void onFile(input.files?.[0]).finally(() => {
              input.value = '';
            });
          }}
        />
      </label>
    </View>
  );
}
