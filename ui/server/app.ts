// The web server's Hono app: secure headers, a body cap and (when asked for) CORS on everything; the auth routes at
// /auth; API v2 at /api/v2 behind bearer tokens; API v1 at /api/v1 (HTTP Basic too), an adapter over v2's routes.
// Built from the store and settings so tests can run it in-process; `dag serve` puts it on @hono/node-server.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { loadJwtSecret } from './auth/secret.js';
import { Tokens } from './auth/tokens.js';
import { requireAuth, type AuthEnv } from './auth/middleware.js';
import { authRoutes } from './auth/routes.js';
import { RateLimiter } from './auth/rate-limit.js';
import type { AppDeps } from './deps.js';
import { notFound, onError } from './errors.js';
import { v2Routes, v2PublicRoutes } from './api/v2/index.js';
import { v1Routes, v1PublicRoutes } from './api/v1/index.js';
import { onProblem } from './api/v1/problems.js';
import { eventsRoute } from './events.js';
import { cacheUntilDbChanges } from './response-cache.js';
import { readStateVersion } from './state-version.js';
import { Identities } from './auth/identities.js';
import { pageRoutes } from './pages/index.js';
import { compress } from 'hono/compress';
import { dashboardAccess } from './analytics/access.js';
import { analyticsRoutes, ANALYTICS_PATH } from './analytics/routes.js';
import { dashboardPageRoutes, dashboardSettings, DASHBOARD_PATH } from './analytics/dashboard-page.js';
import { warehouseEvents, warehouseEventsRoute } from './analytics/load-events.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps): Hono<AuthEnv> {
  const tokens = new Tokens(loadJwtSecret(deps.home, deps.web.secretKey), deps.web.jwtExpirationSec, deps.store);
  const app = new Hono<AuthEnv>();
  app.onError(onError);
  app.notFound(notFound);

  app.use('*', secureHeaders());
  if (deps.web.corsOrigins.length) {
    app.use('*', cors({ origin: deps.web.corsOrigins, allowHeaders: ['Authorization', 'Content-Type'], allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] }));
  }
  // Only where a body can be: hono's bodyLimit reads `c.req.raw.body`, which makes @hono/node-server build a whole
  // undici Request, whose constructor ties its signal to the incoming one through a FinalizationRegistry entry
  // (undici lib/web/fetch/request.js, `requestFinalizer`) that outlives a garbage collection and so is promoted to
  // the old generation. On every GET that was most of the server's memory under load.
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ detail: `Request body is larger than ${MAX_BODY_BYTES} bytes` }, 413) });
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next)));

  // One count of login tries for POST /auth/token and the admin UI's /login form.
  const limiter = new RateLimiter(deps.web.loginAttemptsPerMinute);
  app.route('/auth', authRoutes({ store: deps.store, tokens, limiter }));

  const v2Public = v2PublicRoutes(deps);
  const v2Private = v2Routes(deps);
  const v2 = new Hono<AuthEnv>();
  v2.route('/', v2Public);
  v2.use('*', readStateVersion(deps.store.db));
  v2.use('*', requireAuth({ store: deps.store, tokens, prefix: '/api/v2/', identities: new Identities(tokens) }));
  v2.use('/dags', cacheUntilDbChanges(deps.store.db));
  v2.route('/', v2Private);
  app.route('/api/v2', v2);

  // v1 translates each request to the same v2 route handlers, called in-process behind v1's own auth.
  const v1 = new Hono<AuthEnv>();
  v1.onError(onProblem);
  v1.route('/', v1PublicRoutes(deps));
  const basicFailures = new RateLimiter(deps.web.loginAttemptsPerMinute);
  v1.use('*', requireAuth({ store: deps.store, tokens, prefix: '/api/v1/', basic: true, basicFailures }));
  v1.route('/', v1Routes(new Hono<AuthEnv>().route('/', v2Public).route('/', v2Private)));
  app.route('/api/v1', v1);

  if (deps.feed) {
    // The change events carry DAG and run ids and states: a viewer may read them, nobody unauthenticated.
    app.use('/api/windsock/*', requireAuth({ store: deps.store, tokens, prefix: '/api/windsock/', cookie: true }));
    app.route('/', eventsRoute(deps.feed, { derive: warehouseEvents(deps.store) }));
  }

  // The analytics dashboard and its data: a viewer suffices, or nobody when the dashboard is published.
  const dashboard = deps.dashboard ?? dashboardSettings();
  app.use(`${DASHBOARD_PATH}/*`, compress({ contentTypeFilter: /^(text\/javascript|text\/css|application\/json)/ }));
  app.route('/', dashboardPageRoutes(dashboard, { store: deps.store, tokens }));
  if (deps.analytics) {
    app.use(`${ANALYTICS_PATH}/*`, dashboardAccess({ store: deps.store, tokens, public: dashboard.public }));
    app.route('/', analyticsRoutes(deps.analytics));
    if (deps.feed) app.route('/', warehouseEventsRoute(deps.feed, deps.store));
  }

  // The admin UI's pages (server-rendered, behind the session cookie) at /.
  app.route('/', pageRoutes(deps, { tokens, limiter }));

  return app;
}
