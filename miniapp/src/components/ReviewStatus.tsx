import { Text, View } from '@tarojs/components';
import type { EnrollmentReview } from '@eid/shared';
import { useI18n, type MessageKey } from '../i18n';
import { Notice } from './ui';

/**
 * What became of the review of the resident's enrolment (docs/identity.md "Review queue"): waiting for
 * staff, approved, or rejected with the supervisor's reason, in words and with what to do next.
 */
export function ReviewStatus({ review }: { review: EnrollmentReview }) {
  const { t } = useI18n();
  if (review.status === 'approved') return <Notice tone="success">{t('review.approved')}</Notice>;
  if (review.status === 'rejected') {
    return (
      <View className="review review--rejected" data-testid="review-rejected">
        <Notice tone="warn">{t('review.rejectedTitle')}</Notice>
        {review.reason && (
          <Text className="review__reason">{t('review.rejectedReason', { reason: review.reason })}</Text>
        )}
        <Text className="review__next">{t('review.rejectedNext')}</Text>
      </View>
    );
  }
  return (
    <View className="review review--pending" data-testid="review-pending">
      <Notice tone="info">{t('review.pendingTitle')}</Notice>
      <Text className="review__body">{t('review.pendingBody')}</Text>
      {review.causes.map((cause) => (
        <Text key={cause} className="review__cause">
          {t(`review.cause.${cause}` as MessageKey)}
        </Text>
      ))}
    </View>
  );
}
