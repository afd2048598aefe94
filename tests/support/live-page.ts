// An admin page opened signed in, once its event stream is open, and marked so that a test can tell whether what it
// then sees came from a live patch or from a reload.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface OpenOptions {
  /** The viewport's width in CSS px (1280 unless told; 390 is a phone's). */
  width?: number;
  /** With script off, the page as a reader without JavaScript gets it (no event stream to wait for). */
  javaScript?: boolean;
}

/** A page opened signed in (the session cookie set), not waiting for anything beyond its load. */
export async function openSignedIn(browser: Browser, base: string, cookie: string, path: string, o: OpenOptions = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 800 }, javaScriptEnabled: o.javaScript ?? true });
  await ctx.addCookies([{ name: '_token', value: cookie, url: base, httpOnly: true, sameSite: 'Lax' }]);
  const page = await ctx.newPage();
  await page.goto(base + path);
  return { ctx, page };
}

export async function openLive(browser: Browser, base: string, cookie: string, path: string, o: { width?: number } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const { ctx, page } = await openSignedIn(browser, base, cookie, path, o);
  await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  return { ctx, page };
}

/** Whether the page is still the document openLive marked (no reload since). */
export const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

/** How many CSS px the page is wider than its viewport (0 when only inner boxes scroll sideways, if any). */
export const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
