// Signing in to the admin pages over HTTP as a browser does (a form post from the site itself), and fetching pages
// with the session cookie, for the server-side rendering tests.
import type { WebApp } from './web.js';

export interface Page {
  status: number;
  text: string;
  headers: Headers;
}

export async function signIn(web: WebApp, username: string, password: string): Promise<string> {
  const res = await fetch(`${web.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: web.url },
    body: new URLSearchParams({ username, password, next: '/' }),
    redirect: 'manual',
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 303 || !cookie) throw new Error(`sign in as ${username}: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0];
}

export async function page(web: WebApp, path: string, o: { cookie?: string; method?: string; form?: Record<string, string>; origin?: string | null } = {}): Promise<Page> {
  const headers: Record<string, string> = {};
  if (o.cookie) headers.cookie = o.cookie;
  if (o.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (o.origin !== null && o.form) headers.origin = o.origin ?? web.url;
  const res = await fetch(web.url + path, { method: o.method ?? (o.form ? 'POST' : 'GET'), headers, body: o.form ? new URLSearchParams(o.form) : undefined, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The session's CSRF token, as the pages carry it. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}
