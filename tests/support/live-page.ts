// An admin page opened signed in, once its event stream is open, and marked so that a test can tell whether what it
// then sees came from a live patch or from a reload.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export async function openLive(browser: Browser, base: string, cookie: string, path: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addCookies([{ name: '_token', value: cookie, url: base, httpOnly: true, sameSite: 'Lax' }]);
  const page = await ctx.newPage();
  await page.goto(base + path);
  await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  return { ctx, page };
}

/** Whether the page is still the document openLive marked (no reload since). */
export const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
