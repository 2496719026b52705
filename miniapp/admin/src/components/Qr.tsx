import { useMemo } from 'react';
import { qrMatrix, qrPath } from '../../../src/lib/qr';

const QUIET = 4;

/** A QR code as inline SVG, from the same encoder the mini-program draws its codes with. */
export function Qr({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const matrix = useMemo(() => qrMatrix(text), [text]);
  const edge = matrix.length + QUIET * 2;
  return (
    <svg
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${edge} ${edge}`}
      shapeRendering="crispEdges"
      data-testid="totp-qr"
    >
      <rect width={edge} height={edge} fill="#fff" />
      <path d={qrPath(matrix, QUIET)} fill="#000" />
    </svg>
  );
}
