// The analytics dashboard in a real Chromium (playwright-core), served by the web app in-process over a DuckDB
// warehouse loaded from the real Paris CSV. One browser and one server for the file; screenshots in screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouseReader, type WarehouseReader } from '../../tasks/warehouse/warehouse-reader.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { workspace } from '../support/cli.js';
import { daysBetween, loadParisDays, PARIS_STATIONS } from '../support/paris-warehouse.js';
import { ROOT } from '../support/paths.js';
import { startWebApp, type WebApp } from '../support/web.js';

const DAYS = daysBetween('2024-04-15', '2024-04-22');
const ws = workspace();
let reader: WarehouseReader;
let web: WebApp;
let browser: Browser;
const problems: string[] = [];

/** Stations with at least one valid hour of the parameter in the loaded days (what the map must show). */
function stationsWithData(parameter: string): number {
  const start = Date.parse('2024-04-14T22:00:00Z');
  const end = Date.parse('2024-04-22T22:00:00Z');
  return PARIS_STATIONS.filter((s) => s.sensors.some((x) => x.parameter.name === parameter && x.hours.some((h) => h.value >= 0 && h.periodEndMs - 3_600_000 >= start && h.periodEndMs - 3_600_000 < end))).length;
}

async function open(o: { width?: number; timezoneId?: string; query?: string; watch?: boolean } = {}): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 }, timezoneId: o.timezoneId ?? 'Europe/Paris' });
  const page = await context.newPage();
  if (o.watch !== false) {
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  }
  await page.goto(`${web.url}/dashboard${o.query ?? ''}`);
  return { page, context };
}

const status = (page: Page) => page.locator('aq-dashboard [role=status]');
const loaded = async (page: Page) => expect.poll(() => status(page).textContent(), { timeout: 20_000 }).toMatch(/^(Loaded|Partial)/);
const markers = (page: Page) => page.locator('aq-station-map path.leaflet-interactive');
const counts = async (page: Page) => {
  const m = /([\d,]+) of ([\d,]+) rows selected/.exec((await status(page).textContent()) ?? '')!;
  return { selected: Number(m[1]!.replace(/,/g, '')), total: Number(m[2]!.replace(/,/g, '')) };
};
const text = (page: Page, sel: string) => page.locator(sel).first().textContent();

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith('WINDSOCK_')) delete process.env[k];
  process.env.WINDSOCK_HOME = ws.home;
  await loadParisDays(ws.home, DAYS);
  reader = await openWarehouseReader(undefined, { home: ws.home });
  web = await startWebApp(ws, {}, { analytics: reader, dashboard: { public: true, tiles: null } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await reader?.close();
});

describe('the dashboard at /dashboard', () => {
  it('shows one marker per station with valid data for each pollutant, and the guideline of the one selected', async () => {
    const { page, context } = await open();
    await loaded(page);
    expect(await text(page, 'aq-dashboard #guideline')).toContain('15 µg/m³');
    expect(await markers(page).count()).toBe(stationsWithData('pm25'));
    await screenshot(page, 'dashboard-1280-pm25');
    await page.locator('aq-dashboard select').selectOption('no2');
    await loaded(page);
    await expect.poll(() => text(page, 'aq-dashboard #guideline')).toContain('25 µg/m³');
    await expect.poll(() => markers(page).count()).toBe(stationsWithData('no2'));
    expect(page.url()).toContain('parameter=no2');
    await screenshot(page, 'dashboard-1280-no2');
    await context.close();
  });

  it('brushing the range chart changes the other views and the row count; Reset restores the first view', async () => {
    const { page, context } = await open();
    await loaded(page);
    const before = await counts(page);
    expect(before.selected).toBe(before.total);
    const rankBefore = await text(page, 'aq-ranking #text');
    const box = (await page.locator('aq-time-series #range svg').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await counts(page)).selected).toBeLessThan(before.total);
    expect(await text(page, 'aq-ranking #text')).not.toBe(rankBefore);
    expect(page.url()).toMatch(/t0=.*t1=/);
    await screenshot(page, 'dashboard-brushed');
    await page.locator('aq-dashboard #reset').click();
    await loaded(page);
    await expect.poll(async () => (await counts(page)).selected).toBe(before.total);
    expect(page.url()).not.toMatch(/t0=/);
    expect(await text(page, 'aq-ranking #text')).toBe(rankBefore);
    await context.close();
  });

  it('clicking a marker filters the ranking and the series, and the ranking shows the selection', async () => {
    const { page, context } = await open();
    await loaded(page);
    const series = await text(page, 'aq-time-series #ts-text');
    // the station ranked first, by its marker
    const name = ((await page.locator('aq-ranking g.row text').first().textContent()) ?? '').split(':')[0]!;
    const m = page.locator(`aq-station-map path.leaflet-interactive[aria-label^="${name}:"]`);
    expect(await m.count(), `${name} among ${(await markers(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).join(' | ')}`).toBe(1);
    await m.dispatchEvent('click'); // on the marker itself: central markers overlap
    await expect.poll(() => m.getAttribute('aria-pressed')).toBe('true');
    // the ranking shows the selection: the station's row selected, every other row deselected
    await expect.poll(() => text(page, 'aq-ranking #text')).toContain(`Selected: ${name}.`);
    expect(await page.locator('aq-ranking g.row rect.selected').count()).toBe(1);
    expect(await page.locator('aq-ranking g.row:has(rect.selected) text').textContent()).toContain(name);
    expect(await page.locator('aq-ranking g.row rect.deselected').count()).toBeGreaterThan(0);
    expect(await text(page, 'aq-time-series #ts-text')).not.toBe(series);
    expect(page.url()).toMatch(/station=\d+/);
    expect((await counts(page)).selected).toBeLessThan((await counts(page)).total);
    await screenshot(page, 'dashboard-station-selected');
    // a marker is a focusable button named by its station, level and selection
    await m.focus();
    const focused = await page.evaluate(() => (document.querySelector('aq-dashboard')!.shadowRoot!.querySelector('aq-station-map')!.shadowRoot!.activeElement as Element | null)?.getAttribute('aria-label'));
    expect(focused?.startsWith(`${name}: `)).toBe(true);
    expect(focused).toMatch(/ µg\/m³ \(.+\), completeness \d+ %, selected$/);
    await context.close();
  });

  it('the diurnal profile has 24 hour slots and is the same in America/New_York and Europe/Paris', async () => {
    const profiles: string[] = [];
    for (const timezoneId of ['Europe/Paris', 'America/New_York']) {
      const { page, context } = await open({ timezoneId });
      await loaded(page);
      expect(await page.locator('aq-profile[kind=diurnal] .x.axis .tick').count()).toBe(24);
      profiles.push((await text(page, 'aq-profile[kind=diurnal] #text'))!);
      if (timezoneId !== 'Europe/Paris') await screenshot(page, 'dashboard-new-york');
      await context.close();
    }
    expect(profiles[0]).toMatch(/ of 24 hours with data/);
    expect(profiles[1]).toBe(profiles[0]);
  });

  it('draws a gap, never a drop to 0, where an hour is missing', async () => {
    const { page, context } = await open();
    await loaded(page);
    const d = (await page.locator('aq-time-series #ts path.line').first().getAttribute('d'))!;
    // The Paris CSV has many missing hours: the line is many pieces
    expect(d.match(/M/g)!.length).toBeGreaterThan(5);
    const zero = await page.locator('aq-time-series #ts .axis.y .tick', { hasText: /^0$/ }).first().getAttribute('transform');
    const y0 = Number(/translate\([^,]+,\s*([\d.]+)\)/.exec(zero!)![1]);
    const ys = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((x) => Number(x[2]));
    expect(ys.length).toBeGreaterThan(10);
    expect(ys.every((y) => Math.abs(y - y0) > 0.5)).toBe(true);
    await context.close();
  });

  it('an HTTP 500 shows the alert and Retry; Retry loads the data', async () => {
    const { page, context } = await open({ watch: false, query: '?parameter=o3' });
    await context.route('**/api/analytics/measurements**', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"detail":"Internal Server Error"}' }));
    await page.reload();
    const alert = page.locator('aq-dashboard [role=alert]');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/Data failed to load \(HTTP 500\)/);
    await screenshot(page, 'dashboard-http-500');
    await context.unroute('**/api/analytics/measurements**');
    await page.locator('aq-dashboard #retry').click();
    await loaded(page);
    expect(await alert.count()).toBe(0);
    await context.close();
  });

  it('a stream cut short keeps the rows that arrived and says it is partial', async () => {
    const { page, context } = await open({ watch: false, query: '?parameter=no2' });
    await context.route('**/api/analytics/measurements**', async (r) => {
      const res = await r.fetch();
      const body = await res.body();
      await r.fulfill({ status: 200, headers: { 'content-type': 'application/vnd.apache.arrow.stream' }, body: body.subarray(0, Math.floor(body.length * 0.9)) });
    });
    await page.reload();
    await expect.poll(() => page.locator('aq-dashboard [role=alert]').textContent(), { timeout: 20_000 }).toMatch(/the data is partial/);
    const c = await counts(page);
    expect(c.total).toBeGreaterThan(0);
    expect(await status(page).textContent()).toMatch(/^Partial/);
    await screenshot(page, 'dashboard-truncated');
    await context.close();
  });

  it('fits 1280 and 390 px without horizontal scrolling, and axe finds no serious or critical violation', async () => {
    const axe = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    for (const width of [1280, 390]) {
      const { page, context } = await open({ width });
      await loaded(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
      await page.addScriptTag({ content: axe });
      const found = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
      });
      expect(found, `${width} px`).toEqual([]);
      await screenshot(page, `dashboard-${width}`);
      await context.close();
    }
  });

  it('logged no page error and no console error', () => {
    expect(problems).toEqual([]);
  });
});
