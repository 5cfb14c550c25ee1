import { callManagementApi } from '../support/management-api';
import { startTestService, type TestService } from '../support/test-service';

// Inputs the fuzz suite at 10,000 per target found answered 500 (seed 1264436088): each is now a
// 400 that changes nothing, on both databases.
describe('fuzz findings, refused at the edge', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ env: { EXOTEL_CALLER_ID: '08047491899' } });
  }, 60_000);

  afterAll(async () => {
    await service.close();
  });

  const count = async (path: string) =>
    ((await callManagementApi(service, 'GET', path)).body as { items: unknown[] }).items.length;

  it('refuses a call whose optional field is null (streamName: null read as text)', async () => {
    const before = await count('/calls');
    const answer = await callManagementApi(service, 'POST', '/calls', {
      from: '09876543210',
      streamUrl: 'wss://bot.example.com/media',
      streamName: null,
      wait: false,
    });
    expect([answer.status, (answer.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await count('/calls')).toBe(before);
  });

  it('refuses a ticket whose thirdPartySla is a list (an empty one passed as targets)', async () => {
    const before = await count('/tickets');
    const answer = await callManagementApi(service, 'POST', '/tickets', {
      title: 'Calls fail',
      severity: 2,
      plan: 'sme',
      openedAt: new Date(Date.now() - 70 * 60_000).toISOString(),
      thirdPartySla: [],
    });
    expect([answer.status, (answer.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await count('/tickets')).toBe(before);
  });
});
