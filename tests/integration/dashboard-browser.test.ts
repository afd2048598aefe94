// The analytics dashboard in a real Chromium (playwright-core), served by the web app in-process over a DuckDB
// warehouse loaded from the real Paris CSV. One warehouse, one server, one browser and one page for the file (plus a
// page in New York time); screenshots in screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLake } from '../../tasks/lake/open-lake.js';
import { openWarehouseReader, type WarehouseReader } from '../../tasks/warehouse/warehouse-reader.js';
import { openPage, release, screenshot, sharedBrowser } from '../support/browser.js';
import { workspace } from '../support/cli.js';
import { saveEnv } from '../support/env.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { daysBetween, loadParisDays, PARIS_STATIONS, writeParisRaw } from '../support/paris-warehouse.js';
import { ROOT } from '../support/paths.js';
import { startWebApp, type WebApp } from '../support/web.js';

// Six days: enough for gaps, 24 diurnal slots and a brush; each day loaded costs a transform and a load_star.
const DAYS = daysBetween('2024-04-17', '2024-04-22');
/** The day a DAG run loads while the dashboard is open. */
const NEXT_DAY = '2024-04-23';
/** The openaq DAG's last two tasks: the raw partition of NEXT_DAY is written by the test, as extract would have. */
const LOAD_DAG = `openaq:
  schedule: "@daily"
  timezone: Europe/Paris
  catchup: false
  default_args: { start_date: 2024-01-01, retries: 0 }
  tasks:
    - task_id: transform
      operator: star.transform
    - task_id: load_star
      operator: warehouse.load_star
      dependencies: [transform]
`;
const ws = workspace({ 'openaq.yaml': LOAD_DAG });
let reader: WarehouseReader;
let web: WebApp;
let browser: Browser;
let page: Page;
const problems: string[] = [];
/** Set while a test provokes a failed request on purpose (the browser logs it as a console error). */
let expectErrors = false;

/** Stations with at least one valid hour of the parameter in the loaded days (what the map must show). */
function stationsWithData(parameter: string): number {
  const start = Date.parse(`${DAYS[0]}T00:00:00+02:00`);
  const end = Date.parse(`${NEXT_DAY}T00:00:00+02:00`);
  return PARIS_STATIONS.filter((s) => s.sensors.some((x) => x.parameter.name === parameter && x.hours.some((h) => h.value >= 0 && h.periodEndMs - 3_600_000 >= start && h.periodEndMs - 3_600_000 < end))).length;
}

/** Hours with a valid value of the parameter (at any station) whose hour before and hour after have none. */
function isolatedHours(parameter: string): number {
  const start = Date.parse(`${DAYS[0]}T00:00:00+02:00`);
  const end = Date.parse(`${NEXT_DAY}T00:00:00+02:00`);
  const hours = new Set<number>();
  for (const s of PARIS_STATIONS) for (const x of s.sensors) if (x.parameter.name === parameter) for (const h of x.hours) {
    const t = h.periodEndMs - 3_600_000;
    if (h.value >= 0 && t >= start && t < end) hours.add(t);
  }
  return [...hours].filter((t) => !hours.has(t - 3_600_000) && !hours.has(t + 3_600_000)).length;
}

async function newPage(timezoneId: string): Promise<Page> {
  const { page: p } = await openPage(browser, { width: 1280, height: 900, timezoneId });
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => m.type() === 'error' && !expectErrors && problems.push(`console: ${m.text()}`));
  return p;
}

/**
 * Opens the dashboard (with `query`) on `p` and waits until the data is loaded (or partial), and the daily statistics
 * too: they come in a request of their own, and a snapshot of the views taken before they arrive reads "Loading".
 */
async function visit(query = '', p: Page = page): Promise<void> {
  await p.goto(`${web.url}/dashboard${query}`);
  await loaded(p);
  await expect.poll(() => text('aq-exceedances p', p), { timeout: 20_000 }).not.toMatch(/^Loading/);
}

const status = (p: Page = page) => p.locator('aq-dashboard [role=status]');
const loaded = (p: Page = page) => expect.poll(() => status(p).textContent(), { timeout: 20_000 }).toMatch(/^(Loaded|Partial)/);
const markers = () => page.locator('aq-station-map path.leaflet-interactive');
const counts = async () => {
  const m = /([\d,]+) of ([\d,]+) rows selected/.exec((await status().textContent()) ?? '')!;
  return { selected: Number(m[1]!.replace(/,/g, '')), total: Number(m[2]!.replace(/,/g, '')) };
};
const text = (sel: string, p: Page = page) => p.locator(sel).first().textContent();
/** The station ranked first, and its marker. */
async function topStation() {
  const name = ((await page.locator('aq-ranking g.row text').first().textContent()) ?? '').split(':')[0]!;
  const marker = page.locator(`aq-station-map path.leaflet-interactive[aria-label^="${name}:"]`);
  expect(await marker.count(), `${name} among ${(await markers().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).join(' | ')}`).toBe(1);
  return { name, marker, row: page.locator('aq-ranking g.row', { hasText: `${name}:` }) };
}
/** What every view says: the selection a marker sets and the one a ranking row sets must read the same everywhere. */
async function views() {
  return {
    rows: (await counts()).selected,
    series: await text('aq-time-series #ts-text'),
    ranking: await text('aq-ranking #text'),
    map: await text('aq-station-map #text'),
    markers: await markers().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))),
    diurnal: await text('aq-profile[kind=diurnal] #text'),
    weekday: await text('aq-profile[kind=weekday] #text'),
    completeness: await text('aq-completeness p.summary'),
    exceedances: await text('aq-exceedances p'),
    table: await text('aq-data-table p.summary'),
    selectedRows: await page.locator('aq-ranking g.row:has(rect.selected) text').allTextContents(),
    station: new URL(page.url()).searchParams.get('station'),
  };
}

let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  restoreEnv = saveEnv();
  for (const k of Object.keys(process.env)) if (k.startsWith('WINDSOCK_')) delete process.env[k];
  process.env.WINDSOCK_HOME = ws.home;
  [browser] = await Promise.all([sharedBrowser(), loadParisDays(ws.home, DAYS)]);
  reader = await openWarehouseReader(undefined, { home: ws.home });
  web = await startWebApp(ws, {}, { analytics: reader, dashboard: { public: true, tiles: null } });
  page = await newPage('Europe/Paris');
}, 300_000);

afterAll(async () => {
  if (page) await release(page.context());
  await web?.close();
  await reader?.close();
  restoreEnv?.();
});

describe('the dashboard at /dashboard', () => {
  it('shows one marker per station with valid data for each pollutant, and the guideline of the one selected', async () => {
    await visit();
    expect(await text('aq-dashboard #guideline')).toContain('15 µg/m³');
    expect(await markers().count()).toBe(stationsWithData('pm25'));
    await screenshot(page, 'dashboard-1280-pm25');
    await page.locator('aq-dashboard select').selectOption('no2');
    await loaded();
    await expect.poll(() => text('aq-dashboard #guideline')).toContain('25 µg/m³');
    await expect.poll(() => markers().count()).toBe(stationsWithData('no2'));
    expect(page.url()).toContain('parameter=no2');
    await screenshot(page, 'dashboard-1280-no2');
  });

  it('brushing the range chart changes the other views and the row count; Reset restores the first view', async () => {
    await visit();
    const before = await counts();
    expect(before.selected).toBe(before.total);
    const all = await views();
    const box = (await page.locator('aq-time-series #range svg').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await counts()).selected).toBeLessThan(before.total);
    const brushed = await views();
    // the window's rows, not none (dc's focus once filtered the time dimension to an empty range)
    expect(brushed.rows).toBeGreaterThan(0);
    expect(brushed.series).toMatch(/^[1-9]\d* hours with data/);
    for (const view of ['series', 'ranking', 'markers', 'diurnal', 'weekday', 'completeness', 'exceedances', 'table'] as const) expect(brushed[view], view).not.toEqual(all[view]);
    await expect.poll(() => page.url()).toMatch(/t0=.*t1=/);
    await screenshot(page, 'dashboard-brushed');
    await page.locator('aq-dashboard #reset').click();
    await loaded();
    await expect.poll(async () => (await counts()).selected).toBe(before.total);
    expect(page.url()).not.toMatch(/t0=/);
    await expect.poll(() => views()).toEqual(all);
  });

  it('a marker (clicked, or Enter when focused) and its ranking row select the same station in every view, and again deselect it', async () => {
    await visit();
    const none = await views();
    const { name, marker, row } = await topStation();

    await marker.dispatchEvent('click'); // on the marker itself: central markers overlap
    await expect.poll(() => marker.getAttribute('aria-pressed')).toBe('true');
    // the URL is written once the filters rest (150 ms after the last change), so wait for it before the snapshot
    await expect.poll(() => new URL(page.url()).searchParams.get('station')).toMatch(/^\d+$/);
    const byMarker = await views();
    expect(byMarker.ranking).toContain(`Selected: ${name}.`);
    expect(byMarker.map).toContain(`Selected: ${name}.`);
    expect(byMarker.markers.filter((l) => l!.endsWith(', selected')).map((l) => l!.split(':')[0])).toEqual([name]);
    expect(byMarker.selectedRows).toHaveLength(1);
    expect(byMarker.selectedRows[0]).toContain(name);
    expect(await page.locator('aq-ranking g.row rect.deselected').count()).toBeGreaterThan(0);
    expect(byMarker.series).not.toBe(none.series);
    expect(byMarker.station).toMatch(/^\d+$/);
    expect(byMarker.rows).toBeLessThan(none.rows);
    await screenshot(page, 'dashboard-station-selected');
    await marker.dispatchEvent('click');
    await expect.poll(() => marker.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => views()).toEqual(none);

    await row.locator('rect').click();
    await expect.poll(() => marker.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => views()).toEqual(byMarker);
    await row.locator('rect').click();
    await expect.poll(() => marker.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => views()).toEqual(none);

    // a marker is a focusable button named by its station, level and selection; Enter toggles it
    await marker.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => marker.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => views()).toEqual(byMarker);
    const focused = await page.evaluate(() => (document.querySelector('aq-dashboard')!.shadowRoot!.querySelector('aq-station-map')!.shadowRoot!.activeElement as Element | null)?.getAttribute('aria-label'));
    expect(focused?.startsWith(`${name}: `)).toBe(true);
    expect(focused).toMatch(/ µg\/m³ \(.+\), completeness \d+ %, selected$/);
    await screenshot(page, 'dashboard-station-enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => marker.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => views()).toEqual(none);
  });

  it('the diurnal profile has 24 hour slots and is the same in America/New_York and Europe/Paris', async () => {
    const ny = await newPage('America/New_York');
    await Promise.all([visit(), visit('', ny)]);
    const profiles: string[] = [];
    for (const p of [page, ny]) {
      expect(await p.locator('aq-profile[kind=diurnal] .x.axis .tick').count()).toBe(24);
      profiles.push((await text('aq-profile[kind=diurnal] #text', p))!);
    }
    await screenshot(ny, 'dashboard-new-york');
    await release(ny.context());
    expect(profiles[0]).toMatch(/ of 24 hours with data/);
    expect(profiles[1]).toBe(profiles[0]);
  });

  it('draws a gap, never a drop to 0, where an hour is missing', async () => {
    await visit();
    const d = (await page.locator('aq-time-series #ts path.line').first().getAttribute('d'))!;
    // The Paris CSV has many missing hours: the line is many pieces
    expect(d.match(/M/g)!.length).toBeGreaterThan(5);
    const zero = await page.locator('aq-time-series #ts .axis.y .tick', { hasText: /^0$/ }).first().getAttribute('transform');
    const y0 = Number(/translate\([^,]+,\s*([\d.]+)\)/.exec(zero!)![1]);
    const ys = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((x) => Number(x[2]));
    expect(ys.length).toBeGreaterThan(10);
    expect(ys.every((y) => Math.abs(y - y0) > 0.5)).toBe(true);
  });

  it('draws an hour alone between gaps as a dot, above 0, and says so in the text', async () => {
    await visit();
    const alone = isolatedHours('pm25');
    expect(alone).toBeGreaterThan(0); // the Paris CSV has such hours: the test has something to find
    const dots = page.locator('aq-time-series #ts circle.isolated');
    expect(await dots.count()).toBe(alone);
    const zero = await page.locator('aq-time-series #ts .axis.y .tick', { hasText: /^0$/ }).first().getAttribute('transform');
    const y0 = Number(/translate\([^,]+,\s*([\d.]+)\)/.exec(zero!)![1]);
    // the dots are in the line's coordinates, as the axis ticks are (both offset by the chart's margins)
    for (const cy of await dots.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))))) expect(Math.abs(cy - y0)).toBeGreaterThan(0.5);
    expect(await text('aq-time-series #ts-text')).toContain(`, ${alone} of them alone between gaps (drawn as dots)`);
    await screenshot(page, 'dashboard-isolated-hours');
  });

  it('the daily means toggle draws a dot per day with data and keeps the choice in the URL', async () => {
    await visit();
    await page.locator('aq-dashboard input[type=radio]').nth(1).check();
    await expect.poll(() => text('aq-time-series #ts-text')).toMatch(/^\d+ days with data/);
    const days = Number(/^(\d+) days/.exec((await text('aq-time-series #ts-text'))!)![1]);
    expect(days).toBeGreaterThan(0);
    expect(days).toBeLessThanOrEqual(DAYS.length);
    expect(await page.locator('aq-time-series #ts circle.dot').count()).toBe(days);
    await expect.poll(() => page.url()).toContain('res=daily');
    await screenshot(page, 'dashboard-daily');
    await page.locator('aq-dashboard input[type=radio]').nth(0).check();
    await expect.poll(() => text('aq-time-series #ts-text')).toMatch(/^\d+ hours with data/);
  });

  it('an HTTP 500 shows the alert and Retry; Retry loads the data', async () => {
    const route = '**/api/analytics/measurements**';
    await page.route(route, (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"detail":"Internal Server Error"}' }));
    expectErrors = true; // the browser logs the failed request
    await page.goto(`${web.url}/dashboard?parameter=o3`);
    const alert = page.locator('aq-dashboard [role=alert]');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/Data failed to load \(HTTP 500\)/);
    await screenshot(page, 'dashboard-http-500');
    await page.unroute(route);
    expectErrors = false;
    await page.locator('aq-dashboard #retry').click();
    await loaded();
    expect(await alert.count()).toBe(0);
  });

  it('a stream cut short keeps the rows that arrived and says it is partial', async () => {
    const route = '**/api/analytics/measurements**';
    await page.route(route, async (r) => {
      const res = await r.fetch();
      const body = await res.body();
      await r.fulfill({ status: 200, headers: { 'content-type': 'application/vnd.apache.arrow.stream' }, body: body.subarray(0, Math.floor(body.length * 0.9)) });
    });
    await page.goto(`${web.url}/dashboard?parameter=no2`);
    await expect.poll(() => page.locator('aq-dashboard [role=alert]').textContent(), { timeout: 20_000 }).toMatch(/the data is partial/);
    const c = await counts();
    expect(c.total).toBeGreaterThan(0);
    expect(await status().textContent()).toMatch(/^Partial/);
    await screenshot(page, 'dashboard-truncated');
    await page.unroute(route);
  });

  it('fits 1280 and 390 px without horizontal scrolling, and axe finds no serious or critical violation', async () => {
    const axe = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await visit();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
      await page.addScriptTag({ content: axe });
      const found = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
      });
      expect(found, `${width} px`).toEqual([]);
      await screenshot(page, `dashboard-${width}`);
    }
  });

  it('offers the new data when a DAG run loads a day while it is open, and shows it on Reload', async () => {
    const phone = await newPage('Europe/Paris');
    await phone.setViewportSize({ width: 390, height: 900 });
    await Promise.all([visit(), visit('', phone)]);
    const before = await counts();
    expect(await status().textContent()).toContain('data through 23 Apr 2024, 00:00');
    expect(await page.locator('aq-dashboard #reload').count()).toBe(0);
    await writeParisRaw(openLake(undefined, ws.home), NEXT_DAY);
    const run = await dagInProcess(ws, ['run', 'openaq', '--date', NEXT_DAY]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const p of [page, phone]) await expect.poll(() => text('aq-dashboard .notice', p), { timeout: 20_000 }).toMatch(/^New data was loaded into the warehouse at .+ \(Paris\)\.Reload the data$/);
    // nothing changed under the user's eyes until they ask
    expect(await counts()).toEqual(before);
    await screenshot(page, 'dashboard-new-data');
    await screenshot(phone, 'dashboard-new-data-390');
    await release(phone.context());
    await page.locator('aq-dashboard #reload').click();
    await expect.poll(() => status().textContent(), { timeout: 20_000 }).toMatch(/^Loaded .* data through 24 Apr 2024, 00:00/);
    expect((await counts()).total).toBeGreaterThan(before.total);
    expect(await page.locator('aq-dashboard #reload').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('to')).toBe(NEXT_DAY);
  });

  it('logged no page error and no console error', () => {
    expect(problems).toEqual([]);
  });
});

