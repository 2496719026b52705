/**
 * The annotated copy (加注件) of a called document: an A4 PDF a service window files instead of a
 * photocopy. It carries the document's fields in Chinese (a CJK subset embedded, so the text can be
 * extracted), a diagonal watermark saying what it may be used for, by which window and until when, and a
 * QR code with the signed verification payload made elsewhere, so the paper can be checked offline.
 *
 * pdfkit 0.20 rather than pdf-lib: measured here, pdf-lib 1.17 with @pdf-lib/fontkit cannot embed a
 * TrueType collection, and with a single-font TTF its subsetting dropped glyphs; pdfkit subsets the
 * `.ttc` Debian ships (a one-line page is under 10 KB) and its text extracts exactly. The font is parsed once per path and the parsed font reused by every render.
 */
import { readFileSync } from 'node:fs';
import { AppError, beijingDate, CHINA_OFFSET_MS } from '@eid/shared';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import {
  CONTENT_WIDTH,
  PAGE,
  drawFooter,
  drawHeading,
  drawQr,
  drawQrCaption,
  drawRows,
  drawTitle,
  drawWatermark,
  qrSide,
  watermarkPattern,
  type Doc,
  type Row,
} from './annotated-copy.layout';

/** The document as called from the licence system, already reduced to what the service may read. */
export interface AnnotatedDocument {
  /** The type's name, e.g. 机动车驾驶证. */
  typeName: string;
  /** The national licence identifier, `1.2.156.3005.2.…`. */
  licenceIdentifier: string;
  /** The document number (证照号码). */
  number: string;
  holderName: string;
  issuerName: string;
  /** `YYYY-MM-DD`. */
  issueDate: string;
  /** `YYYY-MM-DD` dates; `until: null` is long-term (长期). */
  validity: { from: string; until: string | null };
  /** The type's own fields in the order they are printed. */
  fields: readonly { label: string; labelEn?: string; value: string }[];
}

/** Who called the document, for what, and until when the copy may be used. */
export interface Annotation {
  /** The service's name, e.g. 婚姻登记. */
  service: string;
  /** The purpose as stated on the request, e.g. 结婚登记. */
  purpose: string;
  windowName: string;
  organisation: string;
  /** The staff member's display name (never an ID number). */
  staffName: string;
  /** Epoch ms: the end of the window's access, printed as Beijing time. */
  expiresAt: number;
  /** Epoch ms: when the copy was made; also the PDF's creation date, so equal input gives equal bytes. */
  annotatedAt: number;
}

export interface AnnotatedCopyInput {
  document: AnnotatedDocument;
  annotation: Annotation;
  /** The signed verification payload, printed as the QR code exactly as given. */
  qrText: string;
}

export interface AnnotatedCopyDeps {
  /** A TrueType font or collection with CJK, Latin and digits; Debian's fonts-wqy-microhei by default. */
  fontPath?: string;
  /** The PostScript name of the face to use when `fontPath` is a collection. */
  fontName?: string;
}

export const DEFAULT_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
export const DEFAULT_FONT_NAME = 'WenQuanYiMicroHei';

/**
 * Renders the annotated copy as PDF bytes; the same input gives the same bytes.
 * Throws AppError INTERNAL naming the path when the font is missing or lacks the named face.
 *
 * @example
 * const pdf = await renderAnnotatedCopy({ document, annotation, qrText });
 * ctx.type = 'application/pdf'; ctx.body = Buffer.from(pdf);
 */
export async function renderAnnotatedCopy(
  input: AnnotatedCopyInput,
  deps: AnnotatedCopyDeps = {},
): Promise<Uint8Array> {
  const font = loadCjkFont(deps.fontPath, deps.fontName);
  const { document, annotation } = input;
  const notice = watermarkText(annotation);
  const doc = new PDFDocument({
    size: 'A4',
    margins: {
      top: PAGE.margin,
      left: PAGE.margin,
      right: PAGE.margin,
      bottom: PAGE.margin + PAGE.footerHeight,
    },
    bufferPages: true,
    lang: 'zh-CN',
    // The parsed CJK font from the start, so pdfkit does not load Helvetica's metrics for every copy.
    // pdfkit 0.20 takes a parsed fontkit Font (its CHANGELOG); @types/pdfkit 0.17 does not know that yet.
    font: font as unknown as string,
    // The file ID is a digest of the info dictionary, so a fixed creation date fixes the whole file.
    info: {
      Title: `${document.typeName}（加注件）`,
      Subject: notice,
      // The verification payload as text too, so a verifier handed the file reads it without rendering
      // the page (payloadFromPdf in shared/src/licence/pdf-payload.ts).
      Keywords: input.qrText,
      Producer: 'eid annotated copy',
      Creator: 'eid annotated copy',
      CreationDate: new Date(annotation.annotatedAt),
    },
  });
  const bytes = collect(doc);

  drawContent(doc, input);
  const pattern = watermarkPattern(doc, font, notice);
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    drawWatermark(doc, pattern);
    drawFooter(doc, {
      notice,
      verify: VERIFY_HINT,
      page: `第 ${i + 1}/${range.count} 页`,
    });
  }
  doc.end();
  return bytes;
}

const VERIFY_HINT =
  '核验方法：用电子证照核验页或其扫码功能读取首页二维码（含发证机关签名与加注签名，可离线核验），或上传本 PDF；' +
  '核验结果须与上列内容一致，超过有效期或用于其他用途即无效。 ' +
  "To verify: scan the QR code on the first page with the e-licence verification page (it carries the issuer's " +
  "and the annotation's signatures and verifies offline), or upload this PDF there.";

/** The watermark's words, also printed once in the footer: `仅供{service}（{purpose}）使用，{window}，有效期至{time}`. */
export function watermarkText(annotation: Annotation): string {
  return `仅供${annotation.service}（${annotation.purpose}）使用，${annotation.windowName}，有效期至${beijingMinute(annotation.expiresAt)}`;
}

/** `YYYY-MM-DD HH:mm` in Beijing time, which is how windows and residents read an expiry. */
export function beijingMinute(ms: number): string {
  const time = new Date(ms + CHINA_OFFSET_MS).toISOString().slice(11, 16);
  return `${beijingDate(ms)} ${time}`;
}

/** The title, the annotation beside the QR code, then the document's fields, over as many pages as they need. */
function drawContent(doc: Doc, { document, annotation, qrText }: AnnotatedCopyInput): void {
  const qr = qrSide(qrText);
  const gap = 16;
  const leftWidth = CONTENT_WIDTH - qr.side - gap;
  const qrX = PAGE.margin + CONTENT_WIDTH - qr.side;

  let y = drawTitle(
    doc,
    `${document.typeName}（加注件）`,
    '电子证照调用加注件，仅在下列用途和期限内有效 · Annotated copy for filing, valid only as stated below',
    leftWidth,
  );
  const qrTop = PAGE.margin;
  drawQr(doc, qr.modules, qrX, qrTop, qr.side);
  const qrBottom = drawQrCaption(doc, qrX, qrTop + qr.side + 2, qr.side, '扫码核验 Scan to verify');

  const annotationRows: Row[] = [
    { label: '调用服务', labelEn: 'Service', value: annotation.service },
    { label: '用途', labelEn: 'Purpose', value: annotation.purpose },
    { label: '调用窗口', labelEn: 'Window', value: annotation.windowName },
    { label: '所属机构', labelEn: 'Organisation', value: annotation.organisation },
    { label: '经办人', labelEn: 'Staff', value: annotation.staffName },
    {
      label: '加注时间',
      labelEn: 'Annotated at',
      value: `${beijingMinute(annotation.annotatedAt)}（北京时间）`,
    },
    {
      label: '有效期至',
      labelEn: 'Valid until',
      value: `${beijingMinute(annotation.expiresAt)}（北京时间）`,
    },
  ];
  y = drawHeading(doc, '加注信息 Annotation', y, leftWidth);
  y = drawRows(doc, annotationRows, y, leftWidth, resumeAtTop);

  const documentRows: Row[] = [
    { label: '证照名称', labelEn: 'Document', value: document.typeName },
    { label: '持证人', labelEn: 'Holder', value: document.holderName },
    { label: '证照号码', labelEn: 'Number', value: document.number },
    { label: '电子证照标识', labelEn: 'Licence identifier', value: document.licenceIdentifier },
    { label: '发证机关', labelEn: 'Issuing authority', value: document.issuerName },
    { label: '签发日期', labelEn: 'Issue date', value: document.issueDate },
    {
      label: '有效期限',
      labelEn: 'Validity',
      value: `${document.validity.from} 至 ${document.validity.until ?? '长期 (long-term)'}`,
    },
    ...document.fields,
  ];
  y = Math.max(y, qrBottom) + 14;
  y = drawHeading(doc, '证照信息 Document', y, CONTENT_WIDTH);
  drawRows(doc, documentRows, y, CONTENT_WIDTH, resumeAtTop);
}

const resumeAtTop = (): number => PAGE.margin;

function collect(doc: Doc): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const fonts = new Map<string, fontkit.Font>();

/**
 * The parsed font, from the cache when this path and face were loaded before: parsing the 5 MB
 * collection again costs ten times the rest of a render. Call it at boot to fail fast on a missing font.
 */
export function loadCjkFont(path = DEFAULT_FONT_PATH, name = DEFAULT_FONT_NAME): fontkit.Font {
  const key = `${path}\n${name}`;
  const cached = fonts.get(key);
  if (cached) return cached;
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (err) {
    throw new AppError(
      'INTERNAL',
      `annotated copy: the CJK font ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); ` +
        `install Debian's fonts-wqy-microhei (scripts/provision.sh) or configure another font path`,
    );
  }
  let font: fontkit.Font | fontkit.FontCollection | null;
  try {
    font = fontkit.create(file, name);
  } catch (err) {
    throw new AppError(
      'INTERNAL',
      `annotated copy: ${path} is not a usable font (${(err as Error).message})`,
    );
  }
  if (!font || !('layout' in font)) {
    throw new AppError('INTERNAL', `annotated copy: ${path} has no face named ${name}`);
  }
  fonts.set(key, font);
  return font;
}
