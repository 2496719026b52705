/**
 * The mini-program's component tests signed in as an enrolled, eligible resident (r-1), as the device
 * keeps the session after sign-in. The session module is imported here, late, so the page modules the
 * test imports next share it and TARO_APP_API_BASE is already set.
 *
 * @example process.env.TARO_APP_API_BASE = bff.base; await signInResident(NOW); Page = (await import(...)).default;
 */
export async function signInResident(now: number): Promise<void> {
  const { saveSession } = await import('../../miniapp/src/services/session');
  saveSession(
    {
      tokenType: 'Bearer',
      accessToken: 'resident-token',
      expiresIn: 900,
      refreshToken: 'refresh-token',
      resident: {
        id: 'r-1',
        enrollment: {
          state: 'eligible',
          consent: { version: '1', at: now },
          attempts: {
            realName: { limit: 5, remaining: 5, unlockAt: null },
            face: { limit: 5, remaining: 5, unlockAt: null },
          },
        },
      },
    },
    now,
  );
}
