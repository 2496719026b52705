import { Canvas, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo } from 'react';
import { qrMatrix, qrPath } from '../lib/qr';

const QUIET = 4;

export interface QrCodeProps {
  text: string;
  /** Spoken description (the image itself means nothing to a screen reader). */
  label: string;
  /** Largest edge length in CSS px; on the web the code shrinks to fit narrower screens. */
  size: number;
  /** The weapp canvas's id, unique on its page (the 2D canvas is found by it). */
  canvasId?: string;
}

/**
 * A QR code drawn from pure JS modules: inline SVG on the web, a 2D canvas in WeChat. Shared by the bright
 * card, the staff window's request code and whatever else shows a code; only the subpackages that draw one
 * carry it (the weapp build puts a module no main-package page imports into those subpackages).
 */
export function QrCode({ text, label, size, canvasId = 'bright-qr' }: QrCodeProps) {
  const matrix = useMemo(() => qrMatrix(text), [text]);
  const edge = matrix.length + QUIET * 2;

  useEffect(() => {
    if (process.env.TARO_ENV !== 'weapp') return;
    Taro.createSelectorQuery()
      .select(`#${canvasId}`)
      .fields({ node: true, size: true })
      .exec((res: { node: HTMLCanvasElement; width: number }[]) => {
        const canvas = res?.[0]?.node;
        if (!canvas) return;
        const ratio = Taro.getSystemInfoSync().pixelRatio;
        canvas.width = res[0]!.width * ratio;
        canvas.height = res[0]!.width * ratio;
        const ctx = canvas.getContext('2d')!;
        const cell = canvas.width / edge;
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.fillStyle = '#000';
        matrix.forEach((row, r) =>
          row.forEach((dark, c) => {
            // Cells overlap by a hair so no seams show between neighbours on fractional pixels.
            if (dark) ctx.fillRect((c + QUIET) * cell, (r + QUIET) * cell, cell + 0.5, cell + 0.5);
          }),
        );
      });
  }, [matrix, edge, canvasId]);

  if (process.env.TARO_ENV === 'weapp') {
    return (
      <View
        className="qr"
        style={{ width: `${size}px`, height: `${size}px` }}
        aria-label={label}
        aria-role="img"
      >
        <Canvas
          type="2d"
          id={canvasId}
          className="qr__canvas"
          style={{ width: `${size}px`, height: `${size}px` }}
        />
      </View>
    );
  }
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      data-code={text}
      viewBox={`0 0 ${edge} ${edge}`}
      style={{ maxWidth: `${size}px` }}
      shapeRendering="crispEdges"
    >
      <rect width={edge} height={edge} fill="#fff" />
      <path d={qrPath(matrix, QUIET)} fill="#000" />
    </svg>
  );
}
