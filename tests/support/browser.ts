// A real browser for page tests: Debian's chromium (or $CHROMIUM_PATH) driven by playwright-core, which downloads
// nothing. One browser per test file (launching costs ~0.5 s of CPU); a fresh context per test keeps cookies apart.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
