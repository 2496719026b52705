/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. A cell a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return that some strip
 * before looking) gets a leading apostrophe first, as OWASP's CSV-injection advice says.
 *
 * @example csvCell('=HYPERLINK("x")') // => "'=HYPERLINK(""x"")" in quotes
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record, CRLF-terminated. */
export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Excel reads a UTF-8 file as the local code page unless it starts with a byte order mark. */
export const CSV_BOM = '\uFEFF';
