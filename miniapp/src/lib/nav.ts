import Taro from '@tarojs/taro';
import type { EnrollmentState } from '@eid/shared';

export const ROUTES = {
  welcome: '/pages/index/index',
  home: '/pages/home/index',
  realName: '/enroll/pages/real-name/index',
  realPerson: '/enroll/pages/real-person/index',
  card: '/card/pages/mine/index',
  bright: '/card/pages/bright/index',
  usage: '/usage/pages/list/index',
  usageDetail: '/usage/pages/detail/index',
  manage: '/account/pages/manage/index',
  privacy: '/account/pages/privacy/index',
  staff: '/staff/pages/verify/index',
  staffWindow: '/staff/pages/window/index',
  staffWindowCall: '/staff/pages/window-call/index',
  check: '/check/pages/verify/index',
  licences: '/licences/pages/wallet/index',
  licenceLink: '/licences/pages/link/index',
  licenceDetail: '/licences/pages/detail/index',
  calls: '/calls/pages/scan/index',
  callApprove: '/calls/pages/approve/index',
  callReceipt: '/calls/pages/receipt/index',
  consentOpen: '/consent/pages/open/index',
  consentParties: '/consent/pages/parties/index',
  signinApprove: '/signin/pages/approve/index',
  passcode: '/account/pages/passcode/index',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

function withQuery(url: string, query?: Record<string, string>): string {
  if (!query) return url;
  const q = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return q ? `${url}?${q}` : url;
}

/** Opens a page on top of the current one. */
export function go(route: Route, query?: Record<string, string>): void {
  Taro.navigateTo({ url: withQuery(route, query) }).catch(() =>
    // The page stack is full (WeChat allows 10): replace instead.
    Taro.redirectTo({ url: withQuery(route, query) }).catch(() => undefined),
  );
}

/** Replaces the current page (a step that should not be returned to). */
export function replace(route: Route, query?: Record<string, string>): void {
  Taro.redirectTo({ url: withQuery(route, query) }).catch(() => undefined);
}

/** Starts over from a page with an empty stack. */
export function restart(route: Route): void {
  Taro.reLaunch({ url: route }).catch(() => undefined);
}

/** Goes back, or to home when this page was opened directly. */
export function back(): void {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack().catch(() => restart(ROUTES.home));
  else restart(ROUTES.home);
}

/** The page where a resident in `state` continues enrollment. */
export function routeForState(state: EnrollmentState): Route {
  switch (state) {
    case 'new':
      return ROUTES.welcome;
    case 'consented':
      return ROUTES.realName;
    case 'real_name_verified':
      return ROUTES.realPerson;
    // A supervisor decides a review; home says so and shows the outcome.
    case 'in_review':
    case 'eligible':
      return ROUTES.home;
  }
}
