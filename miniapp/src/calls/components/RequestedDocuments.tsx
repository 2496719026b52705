import { Text, View } from '@tarojs/components';
import type { DocumentCallItem, DocumentRequest } from '@eid/shared';
import { Check, Panel } from '../../components/ui';
import { useI18n } from '../i18n';
import { docTypeName, fieldNames } from '../lib/labels';

/**
 * Exactly which documents and which of their fields the window reads. Required ones are marked so; an
 * optional one has its own tick, on at first, which the resident may take off.
 */
export function RequestedDocuments({
  request,
  items,
  omitted,
  onToggle,
  disabled,
}: {
  request: DocumentRequest;
  /** The BFF's labels of the same documents (for types this build does not know). */
  items: readonly DocumentCallItem[];
  omitted: readonly string[];
  onToggle: (type: string, include: boolean) => void;
  disabled?: boolean;
}) {
  const { t, lang } = useI18n();
  return (
    <Panel title={t('approve.documents')}>
      <View className="requested" role="list">
        {request.documents.map((doc) => {
          const item = items.find((i) => i.type === doc.type);
          const name = docTypeName(doc.type, lang, item);
          const left = omitted.includes(doc.type);
          return (
            <View
              key={doc.type}
              className={`requested__doc${left ? ' requested__doc--omitted' : ''}`}
              role="listitem"
              data-testid="requested-document"
              data-type={doc.type}
              data-required={doc.required}
            >
              <View className="requested__head">
                <Text className="requested__name">{name}</Text>
                <Text className={`requested__tag requested__tag--${doc.required ? 'required' : 'optional'}`}>
                  {t(doc.required ? 'approve.required' : 'approve.optional')}
                </Text>
              </View>
              <Text className="requested__fields">
                {left
                  ? t('approve.notShared')
                  : t('approve.fields', { fields: fieldNames(doc.type, doc.fields, lang, item) })}
              </Text>
              {!doc.required && !disabled && (
                <Check
                  id={`include-${doc.type}`}
                  checked={!left}
                  onChange={(on) => onToggle(doc.type, on)}
                  label={t('approve.include', { name })}
                />
              )}
            </View>
          );
        })}
      </View>
    </Panel>
  );
}
