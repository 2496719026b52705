/** Stops the local database server started by global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__EID_MONGO__?.stop();
}
