import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { ConsoleFeed } from '../../libs/exotel/src/console/console-feed';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { until } from '../support/until';
import { ARTIFACTS, buildConsoleBundle, launchChromium } from './console-browser';

type ExoPhoneList = { items: { sid: string; outgoing: { state: string } }[]; total: number };

// The operations console in real Chromium against the reference service and the simulator.
describe('the operations console in a browser', () => {
  let service: TestService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const key = () => service.auth.Authorization.slice('Bearer '.length);
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
    (await (
      await fetch(`${service.url}${path}`, {
        ...init,
        headers: { ...service.auth, 'Content-Type': 'application/json', ...init.headers },
      })
    ).json()) as T;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const signIn = async (withKey: string) => {
    await page.goto(`${service.url}/console`);
    await page.getByLabel('Management API key').fill(withKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const heartbeat = () => service.simulator.emitHeartbeatNow({ shape: 'direct' });

  beforeAll(async () => {
    buildConsoleBundle();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
  });

  beforeEach(async () => {
    service = await startTestService();
    service.simulator.setHeartbeat({
      url: `${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`,
      intervalSeconds: 3_600,
    });
    const all = service.simulator.exoPhones().length;
    await until(async () => (await api<ExoPhoneList>('/exophones')).total === all);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
    service.simulator.setHeartbeat(undefined);
    await service.close();
  });

  it('refuses a wrong key and sets no session', async () => {
    await signIn('not-the-key-0123456789');
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    expect(await context.cookies()).toEqual([]);
    await shot('sign-in-refused');
    const stream = await fetch(`${service.url}/console/api/stream`);
    expect(stream.status).toBe(401);
    expect(((await stream.json()) as { code: string }).code).toBe('CONSOLE_SESSION_REQUIRED');
  });

  it('signs in with a session cookie only, and shows an outgoing outage within 2 s without a reload', async () => {
    await signIn(key());
    await page.locator('[data-live="live"]').waitFor();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'exotel_console',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/console',
    });
    expect(page.url()).not.toContain(key());
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).toBe('{}');

    await heartbeat();
    const sid = service.simulator.exoPhones()[0].sid;
    const cell = page.locator(`[data-sid="${sid}"]`);
    await page.locator(`[data-sid="${sid}"][data-outgoing-state="active"]`).waitFor();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await shot('fleet');

    service.simulator.setHealth(sid, 'outgoing', 'major_outage');
    await heartbeat();
    // From the moment the change is committed (the API shows it), the cell follows within 2 s.
    await until(async () =>
      (await api<ExoPhoneList>('/exophones?state=major_outage')).items.some((e) => e.sid === sid),
    );
    await page.locator(`[data-sid="${sid}"][data-outgoing-state="major_outage"]`).waitFor({ timeout: 2_000 });
    expect(await cell.locator('[data-direction="outgoing"]').innerText()).toContain('Major outage');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.locator('[data-summary="major_outage"]', { hasText: '1' }).waitFor();
    await shot('fleet-outage');

    await page.setViewportSize({ width: 390, height: 844 });
    await shot('fleet-phone');
  });

  it('shows a ticket counting down, and acknowledges it from the page', async () => {
    await signIn(key());
    await page.getByRole('link', { name: 'Support' }).click();
    await page.locator('[data-live="live"]').waitFor();
    const ticket = await api<{ id: string }>('/tickets', {
      method: 'POST',
      body: JSON.stringify({ title: 'Outgoing calls failing in Mumbai', severity: 1 }),
    });
    const card = page.locator(`[data-ticket="${ticket.id}"]`);
    const countdown = card.locator('[data-clock="acknowledgement"] .countdown-value');
    const first = await countdown.innerText();
    expect(first).toMatch(/^\d+:\d\d left$/);
    await until(async () => (await countdown.innerText()) !== first, 5_000);
    await shot('support');

    await card.getByRole('button', { name: /^Acknowledge/ }).click();
    await card.locator('[data-clock="acknowledgement"].met').waitFor();
    const after = await api<{ acknowledgedAt: string | null }>(`/tickets/${ticket.id}`);
    expect(after.acknowledgedAt).not.toBeNull();
  });

  it('recovers after the event stream drops, with what happened meanwhile', async () => {
    await signIn(key());
    await page.locator('[data-live="live"]').waitFor();
    await heartbeat();
    const sid = service.simulator.exoPhones()[1].sid;
    await page.locator(`[data-sid="${sid}"][data-outgoing-state="active"]`).waitFor();

    service.app.get(ConsoleFeed).closeAll();
    service.simulator.setHealth(sid, 'outgoing', 'partial_network_outage');
    await heartbeat();
    await page.locator(`[data-sid="${sid}"][data-outgoing-state="partial_network_outage"]`).waitFor();
    await page.locator('[data-live="live"]').waitFor();
    expect(service.app.get(ConsoleFeed).connected).toBe(1);
  });

  it('marks an ExoPhone customer-facing from its cell, follows a mark made through the API, and clears it', async () => {
    await signIn(key());
    await page.locator('[data-live="live"]').waitFor();
    const { sid, phoneNumber } = service.simulator.exoPhones()[3];
    const cell = page.locator(`[data-sid="${sid}"]`);
    const tags = async () => (await cell.locator('.tag').allInnerTexts()).join(', ');
    await page.locator(`[data-sid="${sid}"][data-customer-facing="false"]`).waitFor();
    expect(await tags()).toBe('');

    await cell.getByRole('button', { name: `Mark customer-facing: ${phoneNumber}` }).click();
    await page.locator(`[data-sid="${sid}"][data-customer-facing="true"]`).waitFor();
    expect(await tags()).toBe('customer-facing, operator mark');
    expect(await api(`/exophones/${sid}`)).toMatchObject({ customerFacing: true, customerFacingMark: true });
    await shot('fleet-customer-facing');

    // Another operator, through the management API: the cell follows from the live feed.
    await api(`/exophones/${sid}/customer-facing`, {
      method: 'PUT',
      body: JSON.stringify({ customerFacing: false }),
    });
    await page.locator(`[data-sid="${sid}"][data-customer-facing="false"]`).waitFor({ timeout: 2_000 });
    expect(await tags()).toBe('operator mark');

    await cell.getByRole('button', { name: `Follow options: ${phoneNumber}` }).click();
    await cell.getByRole('button', { name: 'Follow options' }).waitFor({ state: 'detached' });
    expect(await tags()).toBe('');
    expect(await api(`/exophones/${sid}`)).toMatchObject({ customerFacing: false, customerFacingMark: null });

    // The action is the console's: its session's cookie without the anti-forgery token is refused.
    const [cookie] = await context.cookies();
    const forged = await fetch(`${service.url}/console/api/exophones/${sid}/customer-facing`, {
      method: 'PUT',
      headers: { Cookie: `${cookie.name}=${cookie.value}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ customerFacing: true }),
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('CONSOLE_TOKEN_REFUSED');
    expect(await api(`/exophones/${sid}`)).toMatchObject({ customerFacingMark: null });
  });

  it('declares and resolves an incident, and shows calls and delivery', async () => {
    await signIn(key());
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByLabel('Title').fill('Exotel API failing');
    await page.getByRole('button', { name: 'Declare incident' }).click();
    const card = page.locator('[data-incident]', { hasText: 'Exotel API failing' });
    await card.waitFor();
    await shot('incidents');
    await card.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('No open incident.').waitFor();

    await api('/calls', {
      method: 'POST',
      body: JSON.stringify({
        from: '+919812345678',
        to: '+919876543210',
        callerId: service.simulator.exoPhones()[2].sid,
      }),
    });
    await page.getByRole('link', { name: 'Calls' }).click();
    await page.locator('[data-call]').first().waitFor();
    await shot('calls');
    await page.getByRole('link', { name: 'Delivery' }).click();
    await page.locator('[data-pending="In-process"]').waitFor();
    await shot('delivery');
  });
});
