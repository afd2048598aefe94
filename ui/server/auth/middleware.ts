// Who is calling, and may they? /api/v2 takes `Authorization: Bearer <JWT>`; /api/v1 also takes HTTP Basic (Airflow
// 2's basic_auth backend). Bodies follow Airflow 3's api_fastapi/core_api/security.py: no credentials 401
// `Not authenticated`, expired 401 `Token Expired`, a bad token 403 `Invalid JWT token`, a role that may not 403
// `Forbidden`. The role is read from the user table on every request, so a demotion or a deletion takes effect at once.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Store } from '../../../engine/state/store.js';
import type { Role } from '../../../engine/state/users.js';
import { authenticate, roleAtLeast } from '../../../engine/service/users.js';
import { ApiError } from '../errors.js';
import { requiredRole } from './roles.js';
import type { Claims, Tokens } from './tokens.js';
import type { Identities } from './identities.js';
import { clientAddress, type RateLimiter } from './rate-limit.js';

export interface Caller {
  username: string;
  role: Role;
  /** The token's claims when the caller came with one (what logout revokes). */
  claims: Claims | null;
}

/** `stateVersion`: the state database's version when the request came in (state-version.ts), where it is read. */
export type AuthEnv = { Variables: { caller: Caller; stateVersion?: string } };

export interface AuthOptions {
  store: Store;
  tokens: Tokens;
  /** Accept HTTP Basic as well as Bearer (API v1). */
  basic?: boolean;
  /** The mount point, stripped before deciding the role (`/api/v2`). */
  prefix: string;
  /** Failed HTTP Basic logins per client address, limited like POST /auth/token's tries. */
  basicFailures?: RateLimiter;
  /** Also accept the admin UI's session cookie (read-only routes such as the change events). */
  cookie?: boolean;
  /** Bearer callers kept while the request's stateVersion stays the same (behind readStateVersion). */
  identities?: Identities;
}

/** The admin UI's session cookie: the access token, as Airflow 3's UI keeps it in `_token`. */
export const SESSION_COOKIE = '_token';

export function requireAuth(o: AuthOptions): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = credentials(c, o);
    const version = c.get('stateVersion');
    const known = o.identities && header && version ? o.identities.get(header, version) : undefined;
    const caller = known ?? (await identify(header, o, () => clientAddress(c)));
    if (!known && o.identities && header && version) o.identities.set(header, version, caller);
    const needed = requiredRole(c.req.method, c.req.path.slice(o.prefix.length));
    if (!roleAtLeast(caller.role, needed)) throw new ApiError(403, 'Forbidden');
    c.set('caller', caller);
    await next();
  };
}

/** The Authorization header, or (where the session cookie is accepted and no header is sent) the cookie's token. */
function credentials(c: Context, o: { cookie?: boolean }): string | undefined {
  const cookie = o.cookie && !c.req.header('authorization') ? getCookie(c, SESSION_COOKIE) : undefined;
  return cookie ? `Bearer ${cookie}` : c.req.header('authorization');
}

/** Only a valid bearer token (for /auth/logout), or the session cookie where `cookie` says so (the dashboard's data). */
export function requireToken(o: Omit<AuthOptions, 'prefix' | 'basic'>): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('caller', await identify(credentials(c, o), o));
    await next();
  };
}

export async function identify(header: string | undefined, o: Omit<AuthOptions, 'prefix'>, address = () => 'unknown'): Promise<Caller> {
  const [scheme, value] = splitAuthorization(header);
  if (scheme === 'bearer' && value) {
    const claims = await o.tokens.verify(value);
    const user = o.store.users.get(claims.sub);
    if (!user) throw new ApiError(403, 'Invalid JWT token');
    return { username: user.username, role: user.role, claims };
  }
  if (scheme === 'basic' && value && o.basic) {
    const wait = o.basicFailures?.wait(address());
    if (wait != null) throw new ApiError(429, 'Too many failed logins: try again later', { 'Retry-After': String(wait) });
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? await authenticate(o.store, decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
    if (!user) {
      o.basicFailures?.hit(address());
      throw new ApiError(401, 'Invalid credentials', { 'WWW-Authenticate': 'Basic' });
    }
    return { username: user.username, role: user.role, claims: null };
  }
  throw new ApiError(401, 'Not authenticated', { 'WWW-Authenticate': o.basic ? 'Basic' : 'Bearer' });
}

function splitAuthorization(header: string | undefined): [string, string] | [] {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  return m ? [m[1].toLowerCase(), m[2]] : [];
}
