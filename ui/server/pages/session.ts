// The admin UI's session: the access token of POST /auth/token in an HttpOnly, SameSite=Lax cookie scoped to the
// UI's base path (Secure over https), as Airflow 3.1.8 fixed for CVE-2026-28779. Pages without a valid session
// redirect to /login?next=<this page>; every page is sent with Cache-Control: no-store, so after logout the back
// button shows nothing private. The CSRF token of a session is derived from its token, so it needs no storage and
// dies with the session.
import crypto from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Store } from '../../../engine/state/store.js';
import { identify, SESSION_COOKIE, type AuthEnv, type Caller } from '../auth/middleware.js';
import type { Tokens } from '../auth/tokens.js';

/** Where the admin UI is mounted; the cookie is scoped to it. */
export const UI_BASE = '/';

/** `eventsAfter`: the latest change id when the request came in, before the page read anything (see layout.tsx). */
export type PageEnv = { Variables: { caller: Caller; csrf: string; eventsAfter: number } };

export function setSession(c: Context, token: string, maxAgeSec: number): void {
  setCookie(c, SESSION_COOKIE, token, { path: UI_BASE, httpOnly: true, sameSite: 'Lax', secure: isHttps(c), maxAge: maxAgeSec });
}

export function clearSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: UI_BASE, httpOnly: true, sameSite: 'Lax', secure: isHttps(c) });
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** Pure: the CSRF token that goes with a session token. */
export function csrfFor(sessionToken: string): string {
  return crypto.createHash('sha256').update('windsock-csrf\0').update(sessionToken).digest('base64url');
}

export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Pure: `next` when it is a path on this site, else the UI's home (no open redirect, no `//host` or `/\host`). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return UI_BASE;
  try {
    const u = new URL(next, 'http://windsock.invalid');
    if (u.origin !== 'http://windsock.invalid') return UI_BASE;
    return u.pathname + u.search + u.hash;
  } catch {
    return UI_BASE;
  }
}

/** The caller of a page request from its session cookie, or null (no cookie, expired, revoked, user deleted). */
export async function sessionCaller(c: Context, o: { store: Store; tokens: Tokens }): Promise<{ caller: Caller; token: string } | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  try {
    return { caller: await identify(`Bearer ${token}`, o), token };
  } catch {
    return null;
  }
}

/** Private pages: a session or a redirect to the login form that comes back here. */
export function requireSession(o: { store: Store; tokens: Tokens }): MiddlewareHandler<PageEnv & AuthEnv> {
  return async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const s = await sessionCaller(c, o);
    if (!s) {
      if (getCookie(c, SESSION_COOKIE)) clearSession(c);
      const url = new URL(c.req.url);
      const here = c.req.method === 'GET' ? url.pathname + url.search : UI_BASE;
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Not authenticated: sign in again', 401);
      return c.redirect(`/login?next=${encodeURIComponent(here)}`, 303);
    }
    c.set('caller', s.caller);
    c.set('csrf', csrfFor(s.token));
    c.set('eventsAfter', o.store.changes.latestId());
    await next();
  };
}
