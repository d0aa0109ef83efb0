import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DEMO_DIRECTIVE_ID, DEMO_PERIOD } from '../../apps/engine/src/demo/demo-loader';
import { browserUnavailable, type DemoEngine, launchBrowser, startDemoEngine } from './harness';

// The dashboard in Debian's chromium against the embedded engine with the demo data: the commune
// officer reports through the form, the district leader returns and then approves, the province's
// drill-down shows the roll-up move, an escalation shows up for the district, and the page speaks
// English on request. Each step waits for what the page shows; the page polls every 5 s, so a
// change made in one tab appears in another without a reload.

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Within the demo period's window, before its due time (2026-06-20 17:00 in Vietnam). */
const T0 = new Date('2026-03-02T02:00:00Z');
/** Well past the due time: the default escalation steps have all come. */
const AFTER_DUE = new Date('2026-07-10T02:00:00Z');

const unavailable = browserUnavailable();
if (unavailable) console.warn(`SKIPPED: the dashboard's browser tests: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

/** Saves a screenshot to test-artifacts/screenshots: the whole page, or the viewport scrolled to a part of it. */
const screenshot = async (
  page: Page,
  name: string,
  size: { width: number; height: number },
  options: { fullPage?: boolean; scrollTo?: Locator } = {},
): Promise<void> => {
  await page.setViewportSize(size);
  if (options.scrollTo) await options.scrollTo.scrollIntoViewIfNeeded();
  // Two frames: the page is laid out and painted at the new width before the capture.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? size === DESKTOP });
  await page.setViewportSize(DESKTOP);
};

const exactly = (text: string): RegExp => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Waits until the locator's text is exactly `text` (after trimming). */
const textIs = async (locator: Locator, text: string): Promise<void> => {
  await locator.filter({ hasText: exactly(text) }).waitFor();
};

/** The cells of the table row whose header cell reads exactly `name` (or matches it). */
const rowCells = async (table: Locator, name: string | RegExp): Promise<string[]> => {
  const header = table.page().locator('th', { hasText: typeof name === 'string' ? exactly(name) : name });
  const row = table.locator('tbody tr', { has: header }).first();
  await row.waitFor();
  return (await row.locator('td').allTextContents()).map((c) => c.trim());
};

suite('the dashboard in a browser', () => {
  let engine: DemoEngine;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const problems: string[] = [];
  let officer: Page;
  let leader: Page;
  let province: Page;

  const open = async (): Promise<Page> => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused request is logged by the browser itself; what must never show is a CSP violation or a script error.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    return page;
  };

  const signIn = async (page: Page, user: string): Promise<void> => {
    await page.goto(engine.url);
    await page.locator(`button[data-user="${user}"]`).click();
    await page.getByRole('heading', { level: 2, name: 'Văn bản đang thực hiện' }).waitFor();
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    engine = await startDemoEngine(T0);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('serves the page under /app/ with a strict CSP and cacheable hashed files; / leads there', async () => {
    const root = await fetch(`${engine.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    const page = await fetch(`${engine.url}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const script = /src="\/app\/(app\.[A-Z0-9]{8}\.js)"/.exec(html)?.[1];
    expect(script).toMatch(/^app\.[A-Z0-9]{8}\.js$/);
    const asset = await fetch(`${engine.url}/app/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await fetch(`${engine.url}/app/${script}`, { headers: { 'if-none-match': asset.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('the province leader opens the drill-down of Lào Cai before anything is reported', async () => {
    province = await open();
    await signIn(province, 'laoCaiLeader');
    await province.getByRole('link', { name: /Xem chi tiết theo đơn vị trực thuộc/ }).click();
    await province.getByRole('heading', { level: 2, name: 'Đơn vị trực thuộc' }).waitFor();
    await textIs(province.locator('[data-figure="expected"]'), '108');
    await textIs(province.locator('[data-figure="submitted"]'), '0');
    expect(await province.locator('html').getAttribute('lang')).toBe('vi');
  });

  it('the commune officer submits the report through the form, after an error is shown and fixed', async () => {
    officer = await open();
    await signIn(officer, 'communeOfficer');
    expect(await officer.getByRole('heading', { level: 1 }).textContent()).toBe('Xã Bản Qua');
    await screenshot(officer, 'desktop-home-commune-vi', DESKTOP);
    await officer.getByRole('link', { name: 'Lập báo cáo' }).click();
    await officer.getByRole('button', { name: 'Nộp báo cáo' }).waitFor();

    const fill = (id: string, value: string) => officer.locator(`#f-${id}`).fill(value);
    await fill('lc-1-value', '1');
    await fill('lc-2-value', '2');
    await fill('lc-3-numerator', '19');
    await fill('lc-3-denominator', '20');
    // More members enrolled than there are women: the rule of the API, shown as the user types.
    await fill('lc-4-numerator', '900');
    await fill('lc-4-denominator', '800');
    const lc4Error = officer.locator('fieldset[data-target="lc-4"] .field-error');
    await textIs(lc4Error, 'Tử số không được lớn hơn mẫu số.');
    expect(await officer.locator('#f-lc-4-numerator').getAttribute('aria-invalid')).toBe('true');
    await screenshot(officer, 'phone-report-form-error-vi', PHONE, { scrollTo: officer.locator('fieldset[data-target="lc-4"]') });
    await fill('lc-4-denominator', '1.000'); // Vietnamese thousands separator
    await lc4Error.waitFor({ state: 'hidden' });
    expect(await officer.locator('fieldset[data-target="lc-4"] output').textContent()).toBe('= 90%');

    // Sending with targets left blank lists each problem and sends nothing.
    await officer.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await officer.locator('.error-summary').getByText('Báo cáo còn 5 lỗi cần sửa:').waitFor();
    await fill('lc-4b-value', '1');
    await fill('lc-5-numerator', '18');
    await fill('lc-5-denominator', '18');
    await fill('lc-5b-numerator', '450');
    await fill('lc-5b-denominator', '500');
    await fill('lc-6-value', '1');
    await fill('lc-7-value', '1');
    await officer.locator('#f-narrative-results').fill('Tổ chức 2 buổi phản biện xã hội; kết nạp 35 hội viên mới.');
    await officer.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await officer.locator('dd[data-status="submitted"]').waitFor();
    await officer.getByText('Đã nộp báo cáo.').waitFor();
    await officer.getByText('Báo cáo đã nộp, đang chờ Bát Xát duyệt.').waitFor();
  });

  it('the district leader returns it with a reason; the officer resubmits; the leader approves', async () => {
    leader = await open();
    await signIn(leader, 'districtLeader');
    const toReview = leader.locator('section', { has: leader.getByRole('heading', { name: 'Báo cáo chờ duyệt' }) });
    await toReview
      .getByRole('row', { name: /Xã Bản Qua/ })
      .getByRole('link', { name: 'Xem báo cáo' })
      .click();
    await leader.locator('#approve').waitFor();
    expect(await leader.locator('#approve').textContent()).toBe('Duyệt báo cáo (lần 1)');

    // A return needs a reason.
    await leader.locator('#return').click();
    await textIs(leader.locator('.review .field-error'), 'Chưa nhập.');
    await leader
      .locator('#f-return-reason')
      .fill('Đề nghị giải trình số liệu chỉ tiêu (4): tỷ lệ tập hợp hội viên chưa đạt 90%.');
    await leader.locator('#return').click();
    await leader.locator('dd[data-status="returned"]').waitFor();

    // The officer's open page shows the return without a reload, with the reason, and the form again.
    await officer.getByRole('heading', { name: 'Bổ sung và nộp lại báo cáo' }).waitFor();
    await officer.locator('.returned-reason', { hasText: 'chưa đạt 90%' }).waitFor();
    expect(await officer.locator('#f-lc-4-denominator').inputValue()).toBe('1000');
    await officer.locator('#f-lc-4-numerator').fill('920');
    await officer.locator('#f-narrative-difficulties').fill('Số hội viên có mặt tại địa bàn đã được rà soát lại.');
    await officer.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await officer.locator('dd[data-status="submitted"]', { hasText: '(lần 2)' }).waitFor();

    // The leader's page offers version 2 by itself, and approves it.
    await textIs(leader.locator('#approve'), 'Duyệt báo cáo (lần 2)');
    await leader.locator('#approve').click();
    await leader.locator('dd[data-status="approved"]').waitFor();
    const history = leader.locator('table', { has: leader.locator('caption', { hasText: 'Toàn bộ lịch sử' }) });
    const events = (await history.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' '));
    expect(events).toHaveLength(5);
    expect(events[1]).toContain('Nộp báo cáo');
    expect(events[1]).toContain('demo.officer.lci-bx-01');
    expect(events[2]).toContain('Trả lại');
    expect(events[2]).toContain('Lý do: Đề nghị giải trình');
    expect(events[2]).toContain('demo.leader.lci-bx');
    expect(events[3]).toContain('Nộp báo cáo');
    expect(events[4]).toContain('Duyệt');
    expect(events[4]).toMatch(/02\/03\/2026 \d\d:\d\d/);
    const values = leader.locator('table', { has: leader.locator('caption', { hasText: 'Số liệu báo cáo (lần 2)' }) });
    expect(await rowCells(values, '(4)')).toEqual([
      expect.stringContaining('Tỷ lệ tập hợp hội viên'),
      '90%',
      '920/1.000 (92%)',
      '920/1.000 (92%)',
      '✓ Đạt',
    ]);
    await screenshot(leader, 'desktop-report-audit-vi', DESKTOP);
    await screenshot(officer, 'phone-report-approved-vi', PHONE);
  });

  it('the province drill-down shows the new roll-up without a reload, down to the commune', async () => {
    await textIs(province.locator('[data-figure="approved"]'), '1');
    await textIs(province.locator('[data-figure="submitted"]'), '1');
    const children = province.locator('table', {
      has: province.locator('caption', { hasText: 'Tiến độ của các đơn vị trực thuộc' }),
    });
    // 102 units under the province, 20 to a page: find the districts by name.
    // expected, submitted, share, on time, late, overdue, approved, escalated, bar
    await province.getByLabel('Tìm đơn vị trực thuộc').fill('bat xat');
    expect((await rowCells(children, 'Bát Xát')).slice(0, 8)).toEqual(['3', '1', '33,3%', '1', '0', '0', '1', '0']);
    await province.getByLabel('Tìm đơn vị trực thuộc').fill('Sa Pa');
    expect((await rowCells(children, 'Sa Pa')).slice(0, 8)).toEqual(['3', '0', '0%', '0', '0', '0', '0', '0']);
    await province.getByLabel('Tìm đơn vị trực thuộc').fill('');
    const targets = province.locator('table', { has: province.locator('caption', { hasText: 'Kết quả thực hiện chỉ tiêu' }) });
    // Rates are sums of parts over the reports counted (approved only): 920/1000 and 19/20.
    expect(await rowCells(targets, '(4)')).toEqual([expect.stringContaining('Tỷ lệ tập hợp'), '92%', '90%', '↗ Đúng tiến độ']);
    expect((await rowCells(targets, '(3)')).slice(1, 3)).toEqual(['95%', '95%']);
    await screenshot(province, 'desktop-drilldown-province-vi', DESKTOP);
    await screenshot(province, 'desktop-drilldown-province-vi-top', DESKTOP, { fullPage: false });
    await screenshot(province, 'phone-drilldown-province-vi', PHONE);

    await province.getByLabel('Tìm đơn vị trực thuộc').fill('Bát');
    await children.getByRole('link', { name: 'Bát Xát' }).click();
    await province.getByRole('heading', { level: 1, name: /^Bát Xát/ }).waitFor();
    const communes = province.locator('table', {
      has: province.locator('caption', { hasText: 'Tiến độ của các đơn vị trực thuộc' }),
    });
    await communes.getByRole('link', { name: 'Xã Bản Qua' }).waitFor();
    expect((await rowCells(communes, 'Xã Bản Qua')).slice(0, 7)).toEqual(['1', '1', '100%', '1', '0', '0', '1']);
    await communes.getByRole('link', { name: 'Xã Bản Qua' }).click();
    await province.getByRole('heading', { level: 1, name: /^Xã Bản Qua/ }).waitFor();
    await province.getByRole('link', { name: 'Lào Cai' }).waitFor();
    await province.getByRole('link', { name: 'Xem báo cáo' }).click();
    await province.locator('dd[data-status="approved"]').waitFor();
  });

  it('exports the audit trail of a report as CSV', async () => {
    const download = leader.waitForEvent('download');
    await leader.locator('#export-csv').click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'position,occurred_at,type,actor_user,actor_unit,directive_id,unit_id,period,stream_id,event_id,summary',
    );
    for (const type of ['ReportSubmitted', 'ReportReturned', 'ReportApproved']) expect(csv).toContain(`"${type}"`);
  });

  it('after the due time, shows the escalations the deadline saga raises to the district, once the leader signs in again', async () => {
    // The worker's deadline scheduler runs on the engine's clock: past the due time it marks the
    // missing reports overdue and escalates them (libs/reporting/src/deadlines).
    engine.clock.set(AFTER_DUE);

    // The leader's token was minted before the clock moved on: the page says so and asks to sign in.
    await leader.getByText('Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.').waitFor();
    await leader.locator('button[data-user="districtLeader"]').click();
    const escalations = leader.locator('table', {
      has: leader.locator('caption', { hasText: 'Báo cáo quá hạn được báo lên đơn vị' }),
    });
    const escalated = await rowCells(escalations, /^Xã Quang Kim/);
    expect(escalated.slice(0, 2)).toEqual(['11/CTr-BTV', '2026-H1']);
    expect(escalated[4]).toBe('▲ Đang báo lên cấp trên');
    await escalations
      .getByRole('row', { name: /Xã Mường Hum/ })
      .first()
      .waitFor();
    expect(await escalations.getByRole('row', { name: /Xã Bản Qua/ }).count()).toBe(0);
    expect(Number(await leader.locator('[data-figure="escalated"]').textContent())).toBeGreaterThanOrEqual(2);
    const overdue = leader.locator('table', { has: leader.locator('caption', { hasText: /^Báo cáo quá hạn$/ }) });
    await overdue.getByRole('row', { name: /Xã Quang Kim/ }).waitFor();
    expect((await overdue.locator('tbody th').allTextContents()).map((u) => u.replace(/ LCI.*/, ''))).toEqual([
      'Xã Quang Kim',
      'Xã Mường Hum',
    ]);
    await screenshot(leader, 'desktop-home-district-escalations-vi', DESKTOP);
    await screenshot(leader, 'phone-home-district-escalations-vi', PHONE);
  });

  it('switches to English and remembers it; the page never broke its CSP', async () => {
    await province.getByText('Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.').waitFor();
    await province.locator('button[data-user="laoCaiLeader"]').click();
    await province.getByRole('heading', { level: 2, name: 'Văn bản đang thực hiện' }).waitFor();
    await province.goto(`${engine.url}/app/#/node/${DEMO_DIRECTIVE_ID}/${DEMO_PERIOD.period}/LCI`);
    await province.getByRole('heading', { level: 2, name: 'Đơn vị trực thuộc' }).waitFor();
    await province.getByRole('button', { name: 'English' }).click();
    await province.getByRole('heading', { level: 2, name: 'Units below' }).waitFor();
    expect(await province.locator('html').getAttribute('lang')).toBe('en');
    expect(await province.locator('#lang-switch').getAttribute('lang')).toBe('vi');
    const children = province.locator('table', { has: province.locator('caption', { hasText: 'Progress of the units under' }) });
    await province.getByLabel('Find a unit below').fill('Bat Xat');
    expect((await rowCells(children, 'Bát Xát')).slice(0, 3)).toEqual(['3', '1', '33.3%']);
    await screenshot(province, 'desktop-drilldown-province-en', DESKTOP);

    await province.reload();
    await province.getByRole('heading', { level: 2, name: 'Units below' }).waitFor();
    expect(await province.locator('html').getAttribute('lang')).toBe('en');
    await province.getByRole('button', { name: 'Tiếng Việt' }).click();
    await province.getByRole('heading', { level: 2, name: 'Đơn vị trực thuộc' }).waitFor();
    expect(problems).toEqual([]);
  });
});
