// An admin page opened signed in, once its event stream is open, and marked so that a test can tell whether what it
// then sees came from a live patch or from a reload; and the setup the live page tests share (liveSuite).
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, sharedBrowser } from './browser.js';
import { uiFixture, type UiFixture } from './ui.js';
import { UI_FILES } from './ui-files.js';
import { signIn } from './ui-session.js';

export interface OpenOptions {
  /** The viewport's width in CSS px (1280 unless told; 390 is a phone's). */
  width?: number;
  /** With script off, the page as a reader without JavaScript gets it (no event stream to wait for). */
  javaScript?: boolean;
}

/** A page opened signed in (the session cookie set), not waiting for anything beyond its load. */
export async function openSignedIn(browser: Browser, base: string, cookie: string, path: string, o: OpenOptions = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const { ctx, page } = await openPage(browser, { width: o.width, javaScriptEnabled: o.javaScript });
  await ctx.addCookies([{ name: '_token', value: cookie, url: base, httpOnly: true, sameSite: 'Lax' }]);
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

/** What a file of live page tests works with, filled in before its first test. */
export interface LiveSuite {
  f: UiFixture;
  browser: Browser;
  /** The admin user's API token (for changes made elsewhere through the REST API). */
  token: string;
  /** The admin's session cookie value, as the browser sends it. */
  cookie: string;
  /** A page of the fixture's server opened signed in as admin, once its event stream is open. */
  openLive(path: string, o?: { width?: number }): Promise<{ ctx: BrowserContext; page: Page }>;
  /** A page of the fixture's server opened signed in as admin, not waiting beyond its load (script off if asked). */
  openSignedIn(path: string, o?: OpenOptions): Promise<{ ctx: BrowserContext; page: Page }>;
}

/**
 * One fixture (the UI DAG files), one browser and an admin session for the tests of the file that calls it (at its
 * top level): set up before them, closed after them.
 */
export function liveSuite(): LiveSuite {
  const s = {
    openLive: (path, o) => openLive(s.browser, s.f.web.url, s.cookie, path, o),
    openSignedIn: (path, o) => openSignedIn(s.browser, s.f.web.url, s.cookie, path, o),
  } as LiveSuite;
  beforeAll(async () => {
    [s.f, s.browser] = await Promise.all([uiFixture(UI_FILES), sharedBrowser()]);
    s.token = await s.f.web.userToken('admin'); // creates the admin user (password admin-password)
    s.cookie = (await signIn(s.f.web, 'admin', 'admin-password')).split('=')[1];
  }, 60_000);
  afterAll(async () => {
    await s.f?.close();
  });
  return s;
}

/** Requests held back by {@link holdAnswers}: `asked` once the first was read from the server; `release` delivers all. */
export interface HeldAnswers {
  asked: Promise<void>;
  release(): Promise<void>;
}

/**
 * Answers to the page's requests matching `pattern` (and `only`) are read from the server when asked, as it answers
 * then, but delivered to the page only on `release()`: the tests order a race (an older answer arriving after a newer
 * one) this way. An answer the page no longer waits for (its fetch was aborted) is dropped.
 */
export async function holdAnswers(page: Page, pattern: string, only: (url: URL) => boolean = () => true): Promise<HeldAnswers> {
  let open!: () => void;
  const held = new Promise<void>((r) => (open = r));
  let firstAsked!: () => void;
  const asked = new Promise<void>((r) => (firstAsked = r));
  const deliveries: Promise<void>[] = [];
  await page.route(pattern, (route) => {
    if (!only(new URL(route.request().url()))) return route.continue();
    const delivered = (async () => {
      const answer = await route.fetch();
      firstAsked();
      await held;
      await route.fulfill({ response: answer }).catch(() => undefined);
    })();
    deliveries.push(delivered);
    return delivered;
  });
  return {
    asked,
    release: async () => {
      open();
      await Promise.all(deliveries);
    },
  };
}
