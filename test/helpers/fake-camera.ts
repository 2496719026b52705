import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * Chromium's fake camera plays a Y4M file (`--use-file-for-fake-video-capture`): a text header, then
 * frames of 4:2:0 YUV, each `FRAME\n`, the Y plane (one byte a pixel) and the U and V planes (a quarter
 * of that each; 128 is no colour). A QR code drawn into the Y plane is what a camera pointed at a phone
 * showing the bright code delivers, minus the blur.
 */

const DARK = 16;
const LIGHT = 235;
// The quiet zone a reader needs around a QR code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_MODULES = 4;

export interface FakeVideoOptions {
  width?: number;
  height?: number;
  frames?: number;
  /**
   * Which share of the code's columns, from the left, is in the picture: 1 is all of it; less is the
   * code held half out of the frame, which no reader can decode.
   */
  visible?: number;
}

/** The Y plane of one frame: the code's modules as large as the frame allows, centred, on light. */
export function qrLuma(text: string, width: number, height: number, visible = 1): Uint8Array {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const scale = Math.floor(Math.min(width, height) / (n + 2 * QUIET_MODULES));
  if (scale < 2) throw new Error(`a ${n}-module code does not fit a ${width}x${height} frame`);
  const left = Math.floor((width - n * scale) / 2);
  const top = Math.floor((height - n * scale) / 2);
  const shownColumns = Math.round(n * visible);
  const y = new Uint8Array(width * height).fill(LIGHT);
  for (let row = 0; row < n; row += 1) {
    for (let col = 0; col < shownColumns; col += 1) {
      if (!modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy += 1) {
        const start = (top + row * scale + dy) * width + left + col * scale;
        y.fill(DARK, start, start + scale);
      }
    }
  }
  return y;
}

/** A Y4M video of `frames` identical frames showing the QR code of `text`. */
export function qrVideo(text: string, options: FakeVideoOptions = {}): Buffer {
  const { width = 640, height = 480, frames = 10, visible = 1 } = options;
  const luma = qrLuma(text, width, height, visible);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

/** Writes the video for `text` to `file` (an absolute path, as Chromium wants) and returns the path. */
export function writeQrVideo(file: string, text: string, options: FakeVideoOptions = {}): string {
  writeFileSync(file, qrVideo(text, options));
  return file;
}

/** Chromium's flags for a fake camera playing `file`; without `grant`, the page must ask (and is refused). */
export function fakeCameraArgs(file: string, { grant = true }: { grant?: boolean } = {}): string[] {
  return [
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
    ...(grant ? ['--use-fake-ui-for-media-stream'] : []),
  ];
}
