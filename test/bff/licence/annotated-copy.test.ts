import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_FONT_PATH,
  renderAnnotatedCopy,
  type AnnotatedCopyInput,
} from '@eid/bff/modules/licence/annotated-copy';
import {
  pdfFonts,
  pdfInfo,
  pdfPageCount,
  pdfQrCodes,
  pdfScratch,
  pdfText,
  pdfWords,
  squeeze,
  type PdfScratch,
} from '../../helpers/pdf';

/**
 * The annotated copy (加注件) read back the way a filing clerk's tools and a verifier would (test/helpers/pdf.ts):
 * its text with poppler's pdftotext, its QR code from the page rasterised by pdftoppm and decoded by ZXing, with
 * no network.
 */

const A4 = { width: 595.28, height: 841.89 };

// A payload of the size the signed verification payload will have (two Ed25519 signatures, digests,
// identifiers), in an alphabet a QR code's byte mode carries as is.
const QR_TEXT =
  'ELC1:' +
  Array.from(
    { length: 560 },
    (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(i * 37 + 11) % 64],
  ).join('');

const drivingLicence = (): AnnotatedCopyInput => ({
  document: {
    typeName: '机动车驾驶证',
    licenceIdentifier: '1.2.156.3005.2.11100000000013338W011.11110000000021135M.K7Q2M9X4B8N1P5R3T6V0.001.Q',
    number: '110101199003071234',
    holderName: '阿卜杜热合曼·买买提明',
    issuerName: '北京市公安局公安交通管理局',
    issueDate: '2020-03-07',
    validity: { from: '2020-03-07', until: '2026-03-07' },
    fields: [
      { label: '准驾车型', labelEn: 'Class', value: 'C1' },
      { label: '初次领证日期', labelEn: 'First issued', value: '2014-03-07' },
    ],
  },
  annotation: {
    service: '婚姻登记',
    purpose: '结婚登记',
    windowName: '东城区婚姻登记处 3 号窗口',
    organisation: '北京市东城区民政局',
    staffName: '李**',
    expiresAt: Date.UTC(2026, 11, 3, 10, 0), // 18:00 on 3 December in Beijing
    annotatedAt: Date.UTC(2026, 11, 2, 2, 30),
  },
  qrText: QR_TEXT,
});

let scratch: PdfScratch;
beforeAll(() => void (scratch = pdfScratch('eid-annotated-copy-')));
afterAll(() => scratch.remove());
const save = (pdf: Uint8Array) => scratch.save(pdf);

describe('annotated copy (加注件)', () => {
  test('when a driving licence is annotated, then its text is extractable: holder, number, service, purpose, expiry and the watermark words', async () => {
    const file = save(await renderAnnotatedCopy(drivingLicence()));
    const text = await pdfText(file);
    expect(text).toContain('阿卜杜热合曼·买买提明');
    expect(text).toContain('110101199003071234');
    expect(text).toContain('婚姻登记');
    expect(text).toContain('结婚登记');
    expect(text).toContain('2026-12-03 18:00');
    expect(text).toContain('北京市公安局公安交通管理局');
    expect(text).toContain('2020-03-07 至 2026-03-07');
    expect(squeeze(text)).toContain(
      squeeze('仅供婚姻登记（结婚登记）使用，东城区婚姻登记处 3 号窗口，有效期至2026-12-03 18:00'),
    );
    expect(squeeze(text)).toContain(
      '1.2.156.3005.2.11100000000013338W011.11110000000021135M.K7Q2M9X4B8N1P5R3T6V0.001.Q',
    );
    expect(text).toContain('核验方法');
    // The diagonal watermark is outlines, not text: it never breaks into the fields' lines.
    expect(text.split('仅供婚姻登记').length - 1).toBe(1);
    expect(await pdfPageCount(file)).toBe(1);
  });

  test('when the PDF is inspected, then it is A4 with the CJK font embedded as a subset', async () => {
    const file = save(await renderAnnotatedCopy(drivingLicence()));
    expect(await pdfInfo(file)).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const fonts = await pdfFonts(file);
    expect(fonts).toHaveLength(1);
    // name, type, encoding, emb, sub, uni
    expect(fonts[0]).toMatch(/^[A-Z]{6}\+WenQuanYiMicroHei\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  test('when the page is rendered at 150 dpi, then its QR code decodes to exactly the payload given', async () => {
    const file = save(await renderAnnotatedCopy(drivingLicence()));
    expect(await pdfQrCodes(file, { dpi: 150 })).toEqual([QR_TEXT]);
  });

  test('when a field value is long, then it wraps inside the page and all of it is printed', async () => {
    const input = drivingLicence();
    const address =
      '新疆维吾尔自治区乌鲁木齐市天山区解放南路街道办事处幸福路社区居民委员会第十二居民小组'.repeat(3);
    const remark = 'REMARK-' + 'X'.repeat(150);
    input.document = { ...input.document, validity: { from: '2020-03-07', until: null } };
    input.document.fields = [
      ...input.document.fields,
      { label: '住址', labelEn: 'Address', value: address },
      { label: '备注', labelEn: 'Remarks', value: remark },
    ];
    const file = save(await renderAnnotatedCopy(input));
    const words = await pdfWords(file);
    expect(words.length).toBeGreaterThan(20);
    for (const word of words) {
      expect(word.xMin).toBeGreaterThanOrEqual(47);
      expect(word.xMax).toBeLessThanOrEqual(A4.width - 47);
      expect(word.yMax).toBeLessThanOrEqual(A4.height - 47);
    }
    const text = squeeze(await pdfText(file));
    expect(text).toContain(address);
    expect(text).toContain(remark);
    expect(text).toContain('2020-03-07至长期');
    // The address alone takes several lines of the value column.
    const addressLines = new Set(
      words.filter((w) => w.text.includes('幸福路')).map((w) => Math.round(w.yMin)),
    );
    expect(addressLines.size).toBeGreaterThanOrEqual(2);
  });

  test('when the fields do not fit one page, then they continue on further pages, each with watermark words and footer', async () => {
    const input = drivingLicence();
    input.document.fields = Array.from({ length: 30 }, (_, i) => ({
      label: `记录${i + 1}`,
      labelEn: `Entry ${i + 1}`,
      value: `第${i + 1}条记录`,
    }));
    const file = save(await renderAnnotatedCopy(input));
    const pages = await pdfPageCount(file);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let page = 1; page <= pages; page++) {
      const text = squeeze(await pdfText(file, { page }));
      expect(text).toContain(squeeze('仅供婚姻登记（结婚登记）使用，东城区婚姻登记处 3 号窗口'));
      expect(text).toContain(`第${page}/${pages}页`);
    }
    expect(squeeze(await pdfText(file, { page: pages }))).toContain('第30条记录');
    for (const word of await pdfWords(file)) expect(word.yMax).toBeLessThanOrEqual(A4.height - 47);
  });

  test('when the font file is missing, then rendering fails with INTERNAL naming the path and the package', async () => {
    const missing = path.join(scratch.dir, 'no-such-font.ttc');
    await expect(renderAnnotatedCopy(drivingLicence(), { fontPath: missing })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining(missing),
    });
    await expect(renderAnnotatedCopy(drivingLicence(), { fontPath: missing })).rejects.toThrow(
      /fonts-wqy-microhei/,
    );
  });

  test('when the font has no face of the configured name, or is no font, then rendering fails saying so', async () => {
    await expect(renderAnnotatedCopy(drivingLicence(), { fontName: 'NoSuchFace' })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('no face named NoSuchFace'),
    });
    const notAFont = path.join(scratch.dir, 'not-a-font.ttc');
    writeFileSync(notAFont, 'hello');
    await expect(renderAnnotatedCopy(drivingLicence(), { fontPath: notAFont })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('not a usable font'),
    });
  });

  test('when the same input is rendered twice, the first time with the font not yet loaded, then the bytes are identical', async () => {
    // A path of its own, so the first render parses the font afresh and the second reuses it.
    const fontPath = path.join(scratch.dir, 'fresh-font.ttc');
    symlinkSync(DEFAULT_FONT_PATH, fontPath);
    const first = await renderAnnotatedCopy(drivingLicence(), { fontPath });
    const second = await renderAnnotatedCopy(drivingLicence(), { fontPath });
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const later = drivingLicence();
    later.annotation.annotatedAt += 60_000;
    const third = await renderAnnotatedCopy(later, { fontPath });
    expect(Buffer.from(third).equals(Buffer.from(first))).toBe(false);
  });
});
