import Taro from '@tarojs/taro';
import { AppError } from '@eid/shared';
import { request } from '../services/request';
import { FACE_BASE, FACE_MODE } from './endpoints';

/** True when WeChat's own face verification runs the capture (production weapp). */
export const usesPlatformFaceVerify = process.env.TARO_ENV === 'weapp' && FACE_MODE === 'platform';

/**
 * Step 2 of the face check: sends a captured photo (base64, JPEG or PNG) to the face service under the
 * verify id. Resolves when the service has it; a photo it cannot use fails with FACE_POOR_QUALITY.
 */
export async function submitCapture(verifyId: string, imageBase64: string): Promise<void> {
  let answer: { accepted: boolean; reason?: string };
  try {
    answer = await request({
      method: 'POST',
      path: `${FACE_BASE}/v1/capture`,
      data: { verifyId, image: imageBase64 },
      auth: 'none',
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // The face service is not ours: it answers plain HTTP statuses, mapped here to our codes.
    if (err.status === 404 || err.status === 410)
      throw new AppError('FACE_VERIFY_ID_INVALID', 'verify id expired');
    if (err.status === 409) return;
    if (err.status === 400) throw new AppError('FACE_POOR_QUALITY', 'image refused');
    throw err;
  }
  if (!answer.accepted) throw new AppError('FACE_POOR_QUALITY', 'image refused');
}

/** Takes a photo with the front camera (weapp) and answers it as base64. */
export async function takePhotoWeapp(): Promise<string> {
  let path: string;
  try {
    const chosen = await Taro.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['camera'],
      camera: 'front',
      sizeType: ['compressed'],
    });
    path = chosen.tempFiles[0]!.tempFilePath;
  } catch {
    throw new AppError('FACE_NOT_COMPLETED', 'capture cancelled');
  }
  return Taro.getFileSystemManager().readFileSync(path, 'base64') as string;
}

interface PlatformVerifyOption {
  userIdKey: string;
  success?: () => void;
  fail?: (res: { errCode?: number; errMsg?: string }) => void;
}

/**
 * WeChat's government face verification: the verify id from the BFF is the platform's `userIdKey`;
 * the platform captures and checks, and the BFF then reads the result server-side.
 */
export function platformFaceVerify(verifyId: string): Promise<void> {
  const start = (Taro as unknown as { startFacialRecognitionVerify(o: PlatformVerifyOption): void })
    .startFacialRecognitionVerify;
  return new Promise((resolve, reject) => {
    start({
      userIdKey: verifyId,
      success: () => resolve(),
      fail: () => reject(new AppError('FACE_NOT_COMPLETED', 'platform verification did not finish')),
    });
  });
}
