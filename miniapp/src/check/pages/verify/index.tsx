import { Text } from '@tarojs/components';
import { Btn, Field, Notice, Panel, Screen } from '../../../components/ui';
import { describeCheckError } from '../../lib/errors';
import { CodeScanner } from '../../../components/CodeScanner';
import { CheckVerdict } from '../../components/CheckVerdict';
import { PdfUpload } from '../../components/PdfUpload';
import { useI18n, useTitle } from '../../i18n';
import { useCheck } from '../../lib/useCheck';
import './index.scss';

/**
 * The public verification page: anyone, without signing in, pastes or scans a document code or an
 * annotated copy's QR code, or uploads the copy's PDF, and reads the verdict in plain words with only what
 * the code itself shows. Without the network a text is checked on the device with the lists it keeps.
 */
export default function PublicCheck() {
  const { t, lang } = useI18n();
  useTitle('check.title');
  const { code, edit, missing, result, offlineProblem, check, pdf, scanned, next } = useCheck();
  const failure = check.error ?? pdf.error;

  return (
    <Screen showBack={false} title={t('check.title')} className="check">
      <Text className="lead check__lead">{t('check.lead')}</Text>
      <Panel>
        <Field
          id="check-code"
          label={t('check.code')}
          hint={t('check.codeHint')}
          value={code}
          onChange={edit}
          multiline
          onSubmit={() => void check.run()}
          error={missing ? t('check.codeRequired') : undefined}
        />
        <CodeScanner onCode={scanned} t={t} prefix="check.camera" testId="check-scanner" />
        <Btn
          label={check.busy ? t('check.verifying') : t('check.verify')}
          onClick={() => void check.run()}
          busy={check.busy}
        />
      </Panel>
      <Panel>
        <PdfUpload onPdf={(bytes) => void pdf.run(bytes)} busy={pdf.busy} />
      </Panel>
      {failure !== undefined && <Notice tone="error">{describeCheckError(failure, t, lang)}</Notice>}
      {offlineProblem === 'no_data' && <Notice tone="error">{t('check.noOfflineData')}</Notice>}
      {offlineProblem === 'pdf' && <Notice tone="error">{t('check.pdfOffline')}</Notice>}
      {result && (
        <>
          <CheckVerdict result={result} />
          <Btn tone="secondary" label={t('check.again')} onClick={next} />
        </>
      )}
    </Screen>
  );
}
