// /login and /logout. The form posts the same credentials as POST /auth/token, counted by the same rate limiter;
// a good password sets the session cookie and goes to `next` (same-origin paths only). Logout is a POST carrying
// the CSRF token; it revokes the token's jti (the revoked_token table), so a copied cookie stops working too.
import { Hono } from 'hono';
import { authenticate } from '../../../engine/service/users.js';
import type { Store } from '../../../engine/state/store.js';
import { clientAddress } from '../auth/rate-limit.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import type { Tokens } from '../auth/tokens.js';
import { Layout } from './layout.js';
import { clearSession, csrfFor, csrfMatches, safeNext, sessionCaller, setSession } from './session.js';

export interface LoginDeps {
  store: Store;
  tokens: Tokens;
  limiter: RateLimiter;
  lifetimeSec: number;
}

function LoginPage(props: { next: string; error?: string; username?: string }) {
  return (
    <Layout title="Sign in" ctx={null}>
      <div class="login card">
        <h1>Sign in to windsock</h1>
        {props.error ? <p class="error" role="alert">{props.error}</p> : null}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Username
            <input name="username" autocomplete="username" required value={props.username ?? ''} autofocus />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button class="primary" type="submit">Sign in</button>
        </form>
      </div>
    </Layout>
  );
}

export function loginRoutes(o: LoginDeps): Hono {
  const app = new Hono();

  app.get('/login', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(<LoginPage next={safeNext(c.req.query('next'))} />);
  });

  app.post('/login', async (c) => {
    c.header('Cache-Control', 'no-store');
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const wait = o.limiter.hit(clientAddress(c));
    if (wait !== null) {
      c.header('Retry-After', String(wait));
      return c.html(<LoginPage next={next} username={username} error={`Too many login attempts: try again in ${wait} s`} />, 429);
    }
    if (!username || !password) return c.html(<LoginPage next={next} username={username} error="Username and password must be provided" />, 400);
    const user = await authenticate(o.store, username, password);
    if (!user) return c.html(<LoginPage next={next} username={username} error="Invalid credentials" />, 401);
    setSession(c, await o.tokens.issue(user), o.lifetimeSec);
    o.store.events.add({ event: 'login', owner: user.username, extra: { via: 'ui' } });
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    c.header('Cache-Control', 'no-store');
    const s = await sessionCaller(c, o);
    if (s) {
      const form = await c.req.parseBody();
      if (!csrfMatches(csrfFor(s.token), form.csrf)) return c.text('Forbidden: the form is missing its CSRF token; reload the page and try again', 403);
      if (s.caller.claims) o.tokens.revoke(s.caller.claims);
      o.store.events.add({ event: 'logout', owner: s.caller.username });
    }
    clearSession(c);
    // Clear-Site-Data drops what the browser cached of the private pages, so Back shows nothing private.
    c.header('Clear-Site-Data', '"cache"');
    return c.redirect('/login', 303);
  });

  return app;
}
