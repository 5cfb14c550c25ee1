/** Jest global teardown: stops the Kafka mock cluster the setup started (PostgreSQL keeps running). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__MOCK_KAFKA__?.stop();
}
