// A real browser for page tests: Debian's chromium (or $CHROMIUM_PATH) driven by playwright-core, which downloads
// nothing. One browser per test process (sharedBrowser), and contexts reused from test to test, cleaned (openPage).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`no chromium found (tried ${candidates.join(', ')}): install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI and this machine run as root, where chromium refuses its sandbox.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * The browser of this test process, launched on first use and shared by every page test file it runs (vitest reuses
 * the process from file to file): a launch costs ~1.4 s of CPU here. Playwright ends it when the process exits.
 */
let shared: Promise<Browser> | undefined;
export function sharedBrowser(): Promise<Browser> {
  shared ??= launchBrowser().then((b) => {
    b.on('disconnected', () => (shared = undefined));
    return b;
  });
  return shared;
}

export interface PageOptions {
  /** CSS px (1280 x 800 unless told). */
  width?: number;
  height?: number;
  javaScriptEnabled?: boolean;
  timezoneId?: string;
}

/** Contexts given back by release(), each with its one page, by the options that cannot change after creation. */
const idle = new Map<string, { ctx: BrowserContext; page: Page }[]>();
const leased = new WeakMap<BrowserContext, { key: string; page: Page }>();

/**
 * A context of its own (no cookies, routes or listeners, no other page) and its page, as `browser.newContext()` and
 * `newPage()` give, but taken from the contexts earlier tests released when one fits: here a new page costs ~0.7 s
 * of CPU (Chromium starts a renderer process for it) and a navigation within an origin ~0.1 s, and the page tests
 * open dozens. Give it back with release(ctx) (which also closes any other page the test opened in it).
 */
export async function openPage(browser: Browser, o: PageOptions = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const key = JSON.stringify([o.javaScriptEnabled ?? true, o.timezoneId ?? null]);
  const viewport = { width: o.width ?? 1280, height: o.height ?? 800 };
  let found = idle.get(key)?.pop();
  while (found && (found.page.isClosed() || found.ctx.browser() !== browser)) found = idle.get(key)?.pop();
  if (found) {
    await found.page.setViewportSize(viewport);
  } else {
    const ctx = await browser.newContext({ viewport, javaScriptEnabled: o.javaScriptEnabled ?? true, timezoneId: o.timezoneId });
    found = { ctx, page: await ctx.newPage() };
  }
  leased.set(found.ctx, { key, page: found.page });
  return found;
}

/**
 * Ends a test's use of a context: one from openPage is cleaned (other pages closed, listeners and routes removed,
 * the page moved to a static page of its origin, cookies and permissions cleared) and kept for the next test; any
 * other is closed.
 */
export async function release(ctx: BrowserContext): Promise<void> {
  const lease = leased.get(ctx);
  leased.delete(ctx);
  if (!lease) return ctx.close();
  try {
    for (const p of ctx.pages()) if (p !== lease.page) await p.close();
    lease.page.removeAllListeners();
    ctx.removeAllListeners();
    await Promise.all([lease.page.unrouteAll({ behavior: 'ignoreErrors' }), ctx.unrouteAll({ behavior: 'ignoreErrors' })]);
    // Leaving the page ends its event streams and timers before the next test sets up its server's state. For a
    // page that stays on its origin: windsock sends Cross-Origin-Opener-Policy: same-origin (hono's secureHeaders),
    // so a navigation from another origin or from about:blank starts new renderer processes (~0.5 s of CPU here),
    // where one within the origin keeps its process. /api/v2/version is public and static.
    const at = lease.page.url();
    await lease.page.goto(/^https?:/.test(at) ? new URL('/api/v2/version', at).href : 'about:blank');
    await Promise.all([ctx.clearCookies(), ctx.clearPermissions()]);
  } catch {
    return ctx.close().catch(() => undefined); // not reusable: the next test gets a new one
  }
  const list = idle.get(lease.key) ?? [];
  list.push({ ctx, page: lease.page });
  idle.set(lease.key, list);
}

/** Where page tests save screenshots for a person to look at (git-ignored). */
export const SCREENSHOTS = path.resolve('screenshots');

/**
 * Whether page tests take screenshots: only when asked, with WINDSOCK_UI_SCREENSHOTS (=1: the main pages; =all: every
 * page at both widths, script on and off). No test reads the pictures, and the passes that exist only to take them
 * (pages without script, where no payload can run) are skipped without them.
 */
export const TAKING_SCREENSHOTS = !!process.env.WINDSOCK_UI_SCREENSHOTS;

/** Saves a full-page screenshot as screenshots/<name>.png when TAKING_SCREENSHOTS; the file, or null when not taken. */
export async function screenshot(page: Page, name: string): Promise<string | null> {
  if (!TAKING_SCREENSHOTS) return null;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
