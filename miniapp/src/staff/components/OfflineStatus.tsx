import { Text, View } from '@tarojs/components';
import { Notice } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../i18n';
import { ageText, type SyncState } from '../lib/useOfflineTerminal';

/**
 * What the terminal holds for checking offline: the age of its lists, the checks waiting for upload,
 * and the checks the BFF found replayed elsewhere, which the staff member must know about. Signed out
 * (a reload signs staff out), only the waiting checks show: they upload at the next sign-in.
 */
export function OfflineStatus({
  sync,
  listsAge,
  signedIn,
}: {
  sync: SyncState;
  listsAge: number | null;
  signedIn: boolean;
}) {
  const { t, lang } = useI18n();
  if (!signedIn)
    return sync.queueSize > 0 ? (
      <View className="offline-status" data-testid="offline-status">
        <Text className="verdict__meta" data-testid="offline-queue" data-size={sync.queueSize}>
          {t('offline.queue', { n: sync.queueSize })} {t('offline.signInToUpload')}
        </Text>
      </View>
    ) : null;
  return (
    <View className="offline-status" data-testid="offline-status">
      <Text className="verdict__meta" data-testid="offline-lists">
        {listsAge === null ? t('offline.noLists') : t('offline.lists', { age: ageText(listsAge, t) })}
      </Text>
      {sync.queueSize > 0 && (
        <Text className="verdict__meta" data-testid="offline-queue" data-size={sync.queueSize}>
          {t('offline.queue', { n: sync.queueSize })}
          {sync.uploading ? ` ${t('offline.uploading')}` : ''}
        </Text>
      )}
      {sync.queueSize > 0 && !sync.uploading && sync.retryAt !== null && (
        <Text className="verdict__meta">{t('offline.willRetry')}</Text>
      )}
      {sync.flagged.length > 0 && (
        <View data-testid="offline-flagged">
          {sync.flagged.map((f) => (
            <Notice key={f.id} tone="warn">
              {t('offline.replayedElsewhere', { time: formatDateTime(f.checkedAt, lang) })}
            </Notice>
          ))}
        </View>
      )}
    </View>
  );
}
