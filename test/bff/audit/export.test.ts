import { enrolledResident, recordAll } from '../../helpers/audit';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// Issue 19 §6: the auditor's CSV export, escaped for spreadsheets, bounded, and itself recorded.
let stack: Stack;
let auditor: string;
let residentRef: string;
// A party's name is whatever it registered: quotes, commas, line breaks and a formula all reach the CSV.
const tricky = {
  type: 'third_party' as const,
  id: 'rp_tricky00000000001',
  displayName: '=HYPERLINK("http://evil.example","点我")',
  org: 'Acme, "Ltd"\nsecond line',
};

/** RFC 4180 records of a CSV text (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const exportCsv = (query: string, token = auditor) =>
  stack.api('GET', `/api/v1/admin/audit/export.csv?${query}`, { token });

beforeAll(async () => {
  stack = await startStack();
  auditor = await staffToken(stack, 'auditor');
  ({ residentRef } = await enrolledResident(stack));
  await recordAll(stack, [
    {
      residentId: residentRef,
      actor: tricky,
      action: 'consent.granted',
      fields: ['name', 'idNumber'],
      purpose: 'bank_account',
      result: 'ok',
      detail: { note: '-1+1', terminal: '@t1' },
    },
    {
      residentId: residentRef,
      actor: { type: 'staff', id: '+staff-9', displayName: '窗口 9', org: '历下分局' },
      action: 'card.verify',
      fields: [],
      purpose: 'hotel_check_in',
      result: 'denied',
    },
  ]);
}, 60_000);
afterAll(() => stack.stop());

it('when an auditor exports, then the CSV is UTF-8 with a BOM, one header, cells escaped and formulas defused', async () => {
  const res = await exportCsv(`residentRef=${residentRef}&from=${stack.clock.now() - 1000}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="usage-audit-[^"]+\.csv"$/);
  expect(res.headers.get('audit-export-rows')).toBe('2');
  expect(res.headers.get('audit-export-truncated')).toBe('false');
  const text = res.body as string;
  // fetch's text() drops the BOM, as a reader should; the raw bytes start with it.
  const raw = new Uint8Array(
    await (
      await fetch(`${stack.url}/api/v1/admin/audit/export.csv?residentRef=${residentRef}&limit=1`, {
        headers: { authorization: `Bearer ${auditor}` },
      })
    ).arrayBuffer(),
  );
  expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

  const [header, newest, older] = parseCsv(text);
  expect(header).toEqual([
    'at',
    'residentRef',
    'seq',
    'actorType',
    'actorId',
    'actorName',
    'actorOrg',
    'action',
    'fields',
    'purpose',
    'result',
    'detail',
    'requestId',
    'id',
    'hash',
  ]);
  expect(newest!.slice(0, 11)).toEqual([
    new Date(stack.clock.now()).toISOString(),
    residentRef,
    expect.stringMatching(/^\d+$/),
    'staff',
    "'+staff-9",
    '窗口 9',
    '历下分局',
    'card.verify',
    '',
    'hotel_check_in',
    'denied',
  ]);
  expect(older!.slice(3, 12)).toEqual([
    'third_party',
    tricky.id,
    `'${tricky.displayName}`,
    tricky.org,
    'consent.granted',
    'name;idNumber',
    'bank_account',
    'ok',
    '{"note":"-1+1","terminal":"@t1"}',
  ]);
  // On the wire: the formula cell quoted (it holds quotes and a comma) with its apostrophe inside.
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
  expect(text).toContain('"Acme, ""Ltd""\nsecond line"');
});

it('when more rows match than the limit, then the export stops there and says it was truncated', async () => {
  const res = await exportCsv(`residentRef=${residentRef}&limit=1`);
  expect(res.headers.get('audit-export-rows')).toBe('1');
  expect(res.headers.get('audit-export-truncated')).toBe('true');
  expect(parseCsv(res.body)).toHaveLength(2);
  const tooMany = await exportCsv('limit=10001');
  expect([tooMany.status, tooMany.body.code]).toEqual([400, 'VALIDATION_FAILED']);
});

it('when an auditor exports, then the audit-actions log records who exported which filter, how many rows, when', async () => {
  const at = stack.clock.now();
  await exportCsv(`purpose=bank_account&staffId=nobody`);
  const log = await stack.api('GET', '/api/v1/admin/audit/actions?limit=1', { token: auditor });
  expect(log.body.items[0]).toMatchObject({
    action: 'export',
    at,
    staffId: expect.stringMatching(/^staff-/),
    filter: { purpose: 'bank_account', staffId: 'nobody' },
    rows: 0,
    truncated: false,
  });
});

it('when an officer asks for an export, then it is refused and nothing is recorded', async () => {
  const before = await stack.api('GET', '/api/v1/admin/audit/actions?limit=100', { token: auditor });
  const res = await exportCsv('', await staffToken(stack, 'officer'));
  expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
  const after = await stack.api('GET', '/api/v1/admin/audit/actions?limit=100', { token: auditor });
  expect(after.body.items).toHaveLength(before.body.items.length);
});
