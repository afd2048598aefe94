// The log view's slices over real HTTP: however big the attempt log, one answer carries at most LOG_PAGE_BYTES of it
// (the log page itself, log.txt?from= read forward, log.txt?before= read backward), each slice is whole lines but for
// a line longer than a slice, and the slices read one after another give back the file exactly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiFixture, type UiFixture } from '../support/ui.js';
import { UI_FILES } from '../support/ui-files.js';
import { page, signIn } from '../support/ui-session.js';
import { attemptLogPath } from '../../engine/run/task-log.js';
import { LOG_PAGE_BYTES } from '../../ui/server/pages/data/attempt-log.js';

let f: UiFixture;
let cookie: string;

beforeAll(async () => {
  f = await uiFixture(UI_FILES);
  await f.web.userToken('admin');
  cookie = await signIn(f.web, 'admin', 'admin-password');
}, 60_000);
afterAll(() => f?.close());

/** A finished attempt of `extract` in a run of its own whose log is `text`; returns the log's URL base. */
function attempt(day: string, text: string): string {
  const run = f.run('etl', `${day}T00:00:00Z`).run_id;
  for (const s of ['queued', 'running', 'success'] as const) f.ti('etl', run, 'extract', s);
  const file = attemptLogPath(f.ws.home, 'etl', run, 'extract', 1);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return `/dags/etl/runs/${encodeURIComponent(run)}/tasks/extract`;
}

interface Slice {
  text: string;
  bytes: number;
  from: number;
  to: number;
  size: number;
}

async function logTxt(base: string, query: string): Promise<Slice> {
  const r = await page(f.web, `${base}/log.txt?try=1&${query}`, { cookie });
  expect(r.status).toBe(200);
  const n = (h: string) => Number(r.headers.get(h));
  return { text: r.text, bytes: Buffer.byteLength(r.text), from: n('x-log-from'), to: n('x-log-offset'), size: n('x-log-size') };
}

/** Lines of varied lengths (some multi-byte), about 1.2 MB in all: several slices' worth. */
const bigLog = Array.from({ length: 12_000 }, (_, i) => `[t] {INFO} line ${i} ${'é'.repeat(i % 7)}${'x'.repeat(20 + ((i * 37) % 150))}\n`).join('');

describe('log slices', () => {
  it('the log page sends only the last slice of a big log, and a link to the lines before it', async () => {
    const base = attempt('2024-05-01', bigLog);
    const size = Buffer.byteLength(bigLog);
    expect(size).toBeGreaterThan(4 * LOG_PAGE_BYTES);
    const r = await page(f.web, `${base}?try=1`, { cookie });
    expect(r.status).toBe(200);
    const attr = (name: string) => Number(new RegExp(`${name}="(\\d+)"`).exec(r.text)?.[1]);
    expect(attr('data-offset')).toBe(size);
    expect(attr('data-size')).toBe(size);
    expect(size - attr('data-from')).toBeLessThanOrEqual(LOG_PAGE_BYTES);
    expect(size - attr('data-from')).toBeGreaterThan(LOG_PAGE_BYTES - 200); // only a partial line is left out
    expect(r.text).toContain('line 11999 ');
    expect(r.text).not.toContain('line 0 ');
    expect(r.text).toContain('« older lines');
    // the whole page, markup and all, is about one slice, not the file
    expect(Buffer.byteLength(r.text)).toBeLessThan(LOG_PAGE_BYTES + 64 * 1024);
  });

  it('log.txt read forward from 0 and backward from the end: each answer within the cap, whole lines, the file exactly', async () => {
    const base = attempt('2024-05-02', bigLog);
    const size = Buffer.byteLength(bigLog);
    const forward: Slice[] = [];
    for (let from = 0; from < size; ) {
      const s = await logTxt(base, `from=${from}`);
      expect(s.from).toBe(from);
      expect(s.to).toBe(from + s.bytes);
      expect(s.size).toBe(size);
      expect(s.bytes).toBeLessThanOrEqual(LOG_PAGE_BYTES);
      expect(s.bytes).toBeGreaterThan(0);
      expect(s.text.endsWith('\n')).toBe(true);
      forward.push(s);
      from = s.to;
    }
    expect(forward.length).toBeGreaterThanOrEqual(Math.ceil(size / LOG_PAGE_BYTES));
    expect(forward.map((s) => s.text).join('')).toBe(bigLog);

    const backward: Slice[] = [];
    for (let before = size; before > 0; ) {
      const s = await logTxt(base, `before=${before}`);
      expect(s.to).toBe(before);
      expect(s.bytes).toBeLessThanOrEqual(LOG_PAGE_BYTES);
      expect(s.bytes).toBeGreaterThan(0);
      expect(s.text).toMatch(/^\[t\] \{INFO\} line \d+ /); // starts on a whole line
      backward.unshift(s);
      before = s.from;
    }
    expect(backward.map((s) => s.text).join('')).toBe(bigLog);
    // past the end: nothing, at the end
    expect(await logTxt(base, `from=${size + 1000}`)).toMatchObject({ text: '', from: size, to: size, size });
  });

  it('a line longer than a slice is sent in slices of the cap, so reading forward or backward never stalls', async () => {
    const long = `${'y'.repeat(LOG_PAGE_BYTES * 2 + 123)}\n`;
    const text = `[t] {INFO} before\n${long}[t] {INFO} after\n`;
    const base = attempt('2024-05-03', text);
    const size = Buffer.byteLength(text);
    const forward: string[] = [];
    for (let from = 0, guard = 0; from < size; guard++) {
      expect(guard).toBeLessThan(10);
      const s = await logTxt(base, `from=${from}`);
      expect(s.bytes).toBeLessThanOrEqual(LOG_PAGE_BYTES);
      expect(s.from).toBe(from);
      expect(s.to).toBeGreaterThan(from);
      forward.push(s.text);
      from = s.to;
    }
    expect(forward.join('')).toBe(text);
    const backward: string[] = [];
    for (let before = size, guard = 0; before > 0; guard++) {
      expect(guard).toBeLessThan(10);
      const s = await logTxt(base, `before=${before}`);
      expect(s.bytes).toBeLessThanOrEqual(LOG_PAGE_BYTES);
      expect(s.to).toBe(before); // it meets the slice after it
      expect(s.from).toBeLessThan(before);
      backward.unshift(s.text);
      before = s.from;
    }
    expect(backward.join('')).toBe(text);
  });
});
