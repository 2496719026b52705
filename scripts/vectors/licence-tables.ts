/**
 * The tables of docs/formats/licence-document.md, generated from the registry and the service catalogue, so
 * the page says exactly what the code does: `test/shared/licence/types.test.ts` checks the page holds each
 * table as generated here. Print them with `npx tsx scripts/vectors/licence-tables.ts`.
 */
import {
  BUILT_IN_DOCUMENT_TYPES,
  DOCUMENT_SERVICES,
  findPurpose,
  type DocFieldSpec,
  type DocumentService,
  type DocumentType,
} from '@eid/shared';

const HOUR = 3_600_000;

function cbor(f: DocFieldSpec): string {
  switch (f.kind) {
    case 'text':
      return 'tstr';
    case 'date':
      return 'uint `YYYYMMDD`';
    case 'uint':
      return 'uint';
    case 'bool':
      return 'bool';
    case 'bytes':
      return 'bstr';
  }
}

function bounds(f: DocFieldSpec): string {
  const parts: string[] = [];
  if (f.kind === 'text') parts.push(`1-${f.maxBytes ?? 128} bytes`);
  if (f.kind === 'bytes') {
    const min = f.minBytes ?? 1;
    const max = f.maxBytes ?? 64;
    parts.push(min === max ? `${max} bytes` : `${min}-${max} bytes`);
  }
  if (f.pattern) parts.push(`\`${f.pattern.replace(/\|/g, '\\|')}\``);
  if (f.optional) parts.push('optional');
  return parts.join(', ');
}

/** The slot table of a type: slot, key, labels, CBOR and bounds, then its empty slots. */
export function slotTable(t: DocumentType): string {
  const width = 2 ** t.depth;
  const rows = t.fields.map(
    (f, i) => `| ${i} | \`${f.key}\` | ${f.zh} | ${f.en} | ${cbor(f)} | ${bounds(f)} |`,
  );
  const empty =
    t.fields.length < width
      ? [`| ${t.fields.length}${t.fields.length < width - 1 ? `-${width - 1}` : ''} | (empty) | | | | |`]
      : [];
  return [
    '| slot | field | 中文 | English | CBOR | bounds |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...empty,
  ].join('\n');
}

/** Who may read what of a type: one line per purpose or service. */
export function visibilityList(t: DocumentType): string {
  const entries = Object.entries(t.visibility);
  if (entries.length === 0) return '- nobody (wallet listing only)';
  return entries
    .map(([code, fields]) => {
      const what = findPurpose(code) ? 'card purpose' : 'service';
      return `- \`${code}\` (${what}): ${fields.map((f) => `\`${f}\``).join(', ')}`;
    })
    .join('\n');
}

/** The face in one line: title, colour, headline and rows (` · ` within a row, ` / ` between rows). */
export function faceLine(t: DocumentType): string {
  const rows = t.face.rows.map((r) => r.map((k) => `\`${k}\``).join(' · ')).join(' / ');
  return `Face: ${t.face.title.zh} (${t.face.title.en}), \`${t.face.color}\`, headline \`${t.face.headline}\`; rows ${rows}.`;
}

/** The heading line and summary of a type's section. */
export function typeHeading(t: DocumentType): string {
  return `### \`${t.name}\`: ${t.zh} (${t.en})\n\nType code \`${t.typeCode}\`, depth ${t.depth} (${t.fields.length} fields in ${2 ** t.depth} slots).`;
}

const docs = (list: DocumentService['required']) =>
  list.length === 0
    ? '(none)'
    : list.map((d) => `\`${d.type}\`: ${d.fields.map((f) => `\`${f}\``).join(', ')}`).join('<br>');

/** The service catalogue as one table. */
export function serviceTable(): string {
  const rows = DOCUMENT_SERVICES.map(
    (s) =>
      `| ${s.id} | \`${s.code}\` | ${s.zh} (${s.en}) | ${docs(s.required)} | ${docs(s.optional)} | ${s.maxAccessMs / HOUR} h | ${s.basis} |`,
  );
  return [
    '| id | code | service | required | optional | max access | basis |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Every type's section, in registry order. */
export function typeSections(): string {
  return BUILT_IN_DOCUMENT_TYPES.map((t) =>
    [typeHeading(t), slotTable(t), faceLine(t), 'Readable by:', visibilityList(t)].join('\n\n'),
  ).join('\n\n');
}

if (require.main === module) {
  console.log(`${typeSections()}\n\n${serviceTable()}`);
}
