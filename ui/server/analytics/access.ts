// Who may read the dashboard's data: any signed-in user (viewer or above), or everyone, read-only, when
// WINDSOCK_DASHBOARD_PUBLIC=1 publishes the dashboard the way the original Paris-AQ dashboard was published.
// A bearer token or the admin UI's session cookie (GET only, so a cross-site request can read nothing it could change).
import type { Context, MiddlewareHandler } from 'hono';
import type { Store } from '../../../engine/state/store.js';
import { roleAtLeast } from '../../../engine/service/users.js';
import { requireToken, type AuthEnv } from '../auth/middleware.js';
import type { Tokens } from '../auth/tokens.js';
import { ApiError } from '../errors.js';

export const PUBLIC_FLAG = 'WINDSOCK_DASHBOARD_PUBLIC';

/** Pure: is the dashboard published? Only "1" or "true" say yes. */
export function dashboardIsPublic(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true)$/i.test(env[PUBLIC_FLAG] ?? '');
}

export interface AccessOptions {
  store: Store;
  tokens: Tokens;
  public: boolean;
}

export function dashboardAccess(o: AccessOptions): MiddlewareHandler<AuthEnv> {
  const bearer = requireToken({ store: o.store, tokens: o.tokens, cookie: true });
  return async (c: Context<AuthEnv>, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') throw new ApiError(405, 'Method Not Allowed');
    if (o.public) return next();
    await bearer(c, async () => {
      if (!roleAtLeast(c.get('caller').role, 'viewer')) throw new ApiError(403, 'Forbidden');
      await next();
    });
  };
}
