/** Jest global teardown: nothing started by the setup outlives the run. */
export default async function globalTeardown(): Promise<void> {
  // PostgreSQL belongs to the machine and keeps running.
}
