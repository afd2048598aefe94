// The frame of every admin page: the stylesheet and the one script (both from windsock itself, hashed URLs), the
// navigation, who is signed in and the logout button (a POST with the CSRF token: no state change on GET).
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { AuthEnv, Caller } from '../auth/middleware.js';
import type { PageEnv } from './session.js';
import { roleAtLeast } from '../../../engine/service/users.js';
import { assetUrl } from './assets.js';
import { stateClass, stateLabel, stateSymbol } from './states.js';
import { h, type Html } from './html.js';

export interface PageContext {
  caller: Caller;
  csrf: string;
  /** The path of the page, to mark the current navigation entry. */
  path: string;
  /**
   * The latest change id before the page read its data: the live script follows the events after it, so a change
   * committed while the page was rendered or loading is applied too, not lost.
   */
  eventsAfter?: number;
}

/** What every private page is rendered with, from the session middleware's variables. */
export function pageCtx(c: Context<PageEnv & AuthEnv>): PageContext {
  return { caller: c.get('caller'), csrf: c.get('csrf'), path: c.req.path, eventsAfter: c.get('eventsAfter') };
}

const NAV: { href: string; label: string; role?: 'op' | 'admin' }[] = [
  { href: '/', label: 'DAGs' },
  { href: '/runs', label: 'Runs' },
  { href: '/task-instances', label: 'Task instances' },
  { href: '/xcoms', label: 'XComs' },
  { href: '/import-errors', label: 'Import errors' },
  { href: '/audit-log', label: 'Audit log' },
  { href: '/pools', label: 'Pools' },
  { href: '/variables', label: 'Variables', role: 'op' },
  { href: '/config', label: 'Configuration', role: 'op' },
  { href: '/users', label: 'Users', role: 'admin' },
];

function current(path: string, href: string): boolean {
  return href === '/' ? path === '/' || path.startsWith('/dags/') : path.startsWith(href);
}

export function Layout(props: { title: string; ctx: PageContext | null; children?: Child; scripts?: string[]; live?: string }) {
  const { ctx } = props;
  const scripts = ['admin.js', ...(props.scripts ?? [])].map(assetUrl).filter((u): u is string => u !== null);
  // The doctype keeps the pages in standards mode (without it Chromium lays them out in quirks mode).
  return (
    <>
    {raw('<!DOCTYPE html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} - windsock`}</title>
        <link rel="stylesheet" href={assetUrl('admin.css')!} />
        {ctx ? scripts.map((src) => <script type="module" src={src}></script>) : null}
      </head>
      <body data-live={props.live ?? ''} data-csrf={ctx?.csrf ?? ''} data-events-after={ctx?.eventsAfter}>
        <header class="top">
          <a class="brand" href="/">windsock</a>
          {ctx ? (
            <nav aria-label="Main">
              {NAV.filter((n) => !n.role || roleAtLeast(ctx.caller.role, n.role)).map((n) => (
                <a href={n.href} aria-current={current(ctx.path, n.href) ? 'page' : undefined}>{n.label}</a>
              ))}
              <a href="/dashboard">Dashboard</a>
            </nav>
          ) : null}
          {ctx ? (
            <div class="who">
              <span>{ctx.caller.username} <span class="muted">({ctx.caller.role})</span></span>
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="csrf" value={ctx.csrf} />
                <button type="submit">Log out</button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="live-root">{props.children}</main>
      </body>
    </html>
    </>
  );
}

/** A state as a coloured badge with its symbol and name (readable without colour); a string for the long lists. */
export function stateBadge(state: string | null | undefined, id?: string): Html {
  return h`<span${id === undefined ? null : h` id="${id}"`} class="badge ${stateClass(state)}" title="${stateLabel(state)}" data-state="${state ?? 'none'}"><span aria-hidden="true">${stateSymbol(state)}</span>${stateLabel(state)}</span>`;
}

export function StateBadge(props: { state: string | null | undefined; id?: string }) {
  return stateBadge(props.state, props.id);
}
