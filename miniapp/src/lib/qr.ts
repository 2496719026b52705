import qrcode from 'qrcode-generator';

/** The dark/light modules of a QR code for `text` at error correction M, smallest version that fits. */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  // Our codes (`EID1:`, `EIDR1:`, ...) are a prefix + base45, all inside QR's alphanumeric set: 5.5 bits a
  // character.
  qr.addData(text, /^[0-9A-Z $%*+\-./:]*$/.test(text) ? 'Alphanumeric' : 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** An SVG path drawing the dark modules, one unit per module, offset by the quiet zone. */
export function qrPath(matrix: boolean[][], quiet: number): string {
  const parts: string[] = [];
  matrix.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      if (!row[c]) {
        c += 1;
        continue;
      }
      const start = c;
      while (c < row.length && row[c]) c += 1;
      parts.push(`M${start + quiet} ${r + quiet}h${c - start}v1h${start - c}z`);
    }
  });
  return parts.join('');
}
