import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Btn, Notice } from '../../components/ui';
import { useI18n, type MessageKey } from '../i18n';

/** Larger files are not annotated copies of ours (one page, a font subset, a QR code). */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;

function readAsArrayBuffer(file: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsArrayBuffer(file);
  });
}

/**
 * Picks an annotated copy's PDF and hands on its bytes: a file input on the web, WeChat's chooser of files
 * received in chats in the mini-program. A file that is no PDF, or far too large, goes nowhere.
 */
export function PdfUpload({ onPdf, busy }: { onPdf: (bytes: Uint8Array) => void; busy: boolean }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<{ key: MessageKey; mb?: number } | null>(null);
  const [reading, setReading] = useState<string | null>(null);

  const take = (bytes: ArrayBuffer) => {
    if (bytes.byteLength > MAX_PDF_BYTES) {
      setProblem({ key: 'check.pdfTooLarge', mb: MAX_PDF_BYTES / 1024 / 1024 });
      return;
    }
    onPdf(new Uint8Array(bytes));
  };

  const chosenH5 = async (file: File | undefined) => {
    setProblem(null);
    if (!file) return;
    if (file.type !== 'application/pdf' && !/\.pdf$/i.test(file.name)) {
      setProblem({ key: 'check.pdfNotPdf' });
      return;
    }
    if (file.size > MAX_PDF_BYTES) {
      setProblem({ key: 'check.pdfTooLarge', mb: MAX_PDF_BYTES / 1024 / 1024 });
      return;
    }
    setReading(file.name);
    try {
      take(await readAsArrayBuffer(file));
    } finally {
      setReading(null);
    }
  };

  const chooseWeapp = async () => {
    setProblem(null);
    let path: string;
    try {
      const { tempFiles } = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf'] });
      path = tempFiles[0]!.path;
    } catch {
      return; // Cancelled.
    }
    take(Taro.getFileSystemManager().readFileSync(path) as ArrayBuffer);
  };

  return (
    <View className="check-pdf" data-testid="check-pdf">
      <Text className="field__label">{t('check.pdf')}</Text>
      <Text className="field__hint">{t('check.pdfHint')}</Text>
      {process.env.TARO_ENV === 'h5' ? (
        <label className="check-pdf__choose">
          <span className="btn btn--secondary">{t('check.pdfChoose')}</span>
          <input
            className="check-pdf__input"
            type="file"
            accept="application/pdf,.pdf"
            aria-label={t('check.pdf')}
            disabled={busy}
            onChange={(e) => {
              const input = e.target;
              void chosenH5(input.files?.[0]).finally(() => {
                // The same file may be chosen again after a failure.
                input.value = '';
              });
            }}
          />
        </label>
      ) : (
        <Btn tone="secondary" label={t('check.pdfChoose')} onClick={() => void chooseWeapp()} busy={busy} />
      )}
      {reading && <Text className="field__hint">{t('check.pdfReading', { name: reading })}</Text>}
      {problem && <Notice tone="error">{t(problem.key, problem.mb ? { mb: problem.mb } : undefined)}</Notice>}
    </View>
  );
}
