// The admin UI, mounted at / beside the API: the login form, the static assets, and the private pages behind the
// session cookie. Every page gets a strict Content-Security-Policy (scripts and styles from windsock only, no inline
// code, no eval); every state-changing form is checked twice, by Origin (hono/csrf) and by the session's CSRF token.
import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { AppDeps } from '../deps.js';
import type { AuthEnv } from '../auth/middleware.js';
import type { Tokens } from '../auth/tokens.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import { assetRoutes } from './assets.js';
import { loginRoutes } from './login.js';
import { requireSession, type PageEnv } from './session.js';
import { browseRoutes } from './browse-routes.js';
import { dagRoutes } from './dag-routes.js';
import { actionRoutes } from './actions/routes.js';
import { adminRoutes } from './admin-routes.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Every path the admin pages answer (the API, /auth and /dashboard are not theirs). */
const PRIVATE_PATHS = ['/', '/dags/*', '/runs', '/task-instances', '/import-errors', '/audit-log', '/pools', '/users', '/code', '/actions/*', '/variables', '/config', '/xcoms'];
const PUBLIC_PATHS = ['/login', '/logout'];

// Set on the response's headers, not with c.header: after the handler, c.header rebuilds the Response, which turned
// a string body into bytes twice (a third of the grid page's render at 25 runs x 500 tasks).
const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.res.headers.set('X-Frame-Options', 'DENY');
};

export function pageRoutes(deps: AppDeps, o: { tokens: Tokens; limiter: RateLimiter }): Hono<PageEnv & AuthEnv> {
  const app = new Hono<PageEnv & AuthEnv>();
  // Origin must be this site's for any form post (a cross-site form is refused before anything reads it).
  const sameOrigin = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin });
  for (const p of [...PUBLIC_PATHS, ...PRIVATE_PATHS]) {
    app.use(p, pageHeaders);
    app.use(p, sameOrigin);
  }
  for (const p of PRIVATE_PATHS) app.use(p, requireSession({ store: deps.store, tokens: o.tokens }));
  app.route('/', assetRoutes());
  app.route('/', loginRoutes({ store: deps.store, tokens: o.tokens, limiter: o.limiter, lifetimeSec: deps.web.jwtExpirationSec }));
  app.route('/', browseRoutes(deps));
  app.route('/', dagRoutes(deps));
  app.route('/', actionRoutes(deps));
  app.route('/', adminRoutes(deps));
  return app;
}
