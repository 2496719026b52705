import { useEffect, useState } from 'react';
import { getEnrollment } from '../services/enrollment';
import { replace, routeForState } from './nav';

/**
 * A resident who is already signed in and past consent continues where they left off. True while
 * that is being found out; false once the welcome page should show. `signedIn` is read on arrival only.
 */
export function useResume(signedIn: boolean): boolean {
  const [resuming, setResuming] = useState(signedIn);
  useEffect(() => {
    if (!signedIn) {
      setResuming(false);
      return;
    }
    let live = true;
    getEnrollment().then(
      (enrollment) => {
        if (!live) return;
        if (enrollment.state === 'new') setResuming(false);
        else replace(routeForState(enrollment.state));
      },
      () => live && setResuming(false),
    );
    return () => {
      live = false;
    };
    // Only on arrival: later changes come from this page's own actions.
  }, []);
  return resuming;
}
