// The auth manager's own routes, at /auth as in Airflow 3 (auth/managers/simple/routes/login.py): POST /auth/token
// trades a username and password (JSON or a form) for an access token; POST /auth/logout revokes the bearer token.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Store } from '../../../engine/state/store.js';
import { authenticate } from '../../../engine/service/users.js';
import { ApiError } from '../errors.js';
import { parseJson, validate } from '../request.js';
import { requireToken, type AuthEnv } from './middleware.js';
import { clientAddress, RateLimiter } from './rate-limit.js';
import type { Tokens } from './tokens.js';

const LoginBody = z.strictObject({ username: z.string(), password: z.string() });

/** `limiter` is shared with the admin UI's /login form, so the two doors count the same tries. */
export function authRoutes(o: { store: Store; tokens: Tokens; limiter: RateLimiter }): Hono<AuthEnv> {
  const { limiter } = o;
  const app = new Hono<AuthEnv>();

  app.post('/token', async (c) => {
    const wait = limiter.hit(clientAddress(c));
    if (wait !== null) throw new ApiError(429, 'Too many login attempts: try again later', { 'Retry-After': String(wait) });
    const body = validate(LoginBody, await loginFields(c), 'body');
    if (!body.username || !body.password) throw new ApiError(400, 'Username and password must be provided');
    const user = await authenticate(o.store, body.username, body.password);
    if (!user) throw new ApiError(401, 'Invalid credentials');
    return c.json({ access_token: await o.tokens.issue(user) }, 201);
  });

  app.post('/logout', requireToken(o), (c) => {
    const { claims, username } = c.get('caller');
    if (claims) o.tokens.revoke(claims);
    o.store.events.add({ event: 'logout', owner: username });
    return c.body(null, 204);
  });

  return app;
}

async function loginFields(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return parseJson(await c.req.text());
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(await c.req.text()));
  throw new ApiError(415, 'Unsupported Media Type');
}
