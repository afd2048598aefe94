// GET /api/v2/config and /config/section/{section}/option/{option}: the install's settings in Airflow's sections
// (op and admin only, by roles.ts), as JSON or as a config file in text/plain, secrets hidden.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { engineSettings } from '../../../../engine/settings.js';
import { configSections, configText, engineConfig, type ConfigOption, type ConfigSection } from '../../../../engine/service/config.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { query } from '../../request.js';
import type { WebSettings } from '../../settings.js';

function webConfig(w: WebSettings): ConfigOption[] {
  return [
    { section: 'api', key: 'host', value: w.host },
    { section: 'api', key: 'port', value: String(w.port) },
    { section: 'api', key: 'access_control_allow_origins', value: w.corsOrigins.join(',') },
    { section: 'api', key: 'expose_config', value: 'non-sensitive-only' },
    { section: 'api_auth', key: 'jwt_expiration_time', value: String(w.jwtExpirationSec) },
    { section: 'api_auth', key: 'jwt_secret', value: w.secretKey ?? '', secret: true },
    { section: 'windsock', key: 'login_attempts_per_minute', value: String(w.loginAttemptsPerMinute) },
  ];
}

const ListQuery = z.object({ section: z.string().optional() });

export function configRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const options = (): ConfigOption[] => [
    ...engineConfig({ ...engineSettings(), home: deps.home, dagsFolder: deps.dagsFolder }),
    ...webConfig(deps.web),
    ...(deps.config ?? []),
  ];

  app.get('/config', (c) => {
    const { section } = query(c, ListQuery);
    const sections = configSections(options(), section);
    if (section !== undefined && !sections.length) throw new ApiError(404, `Section ${section} not found.`);
    return answer(c, sections);
  });

  app.get('/config/section/:section/option/:option', (c) => {
    const { section, option } = c.req.param();
    const found = configSections(options().filter((o) => o.section === section && o.key === option));
    if (!found.length) throw new ApiError(404, `Option [${section}/${option}] not found.`);
    return answer(c, found);
  });

  return app;
}

// JSON for application/json or anything (a wildcard, no Accept); a config file for text/plain; 406 otherwise.
function answer(c: Context, sections: ConfigSection[]): Response {
  const accept = (c.req.header('accept') ?? '*/*').toLowerCase();
  const types = accept.split(',').map((t) => t.split(';')[0].trim());
  if (types.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*' || t === '')) return c.json({ sections });
  if (types.some((t) => t === 'text/plain' || t === 'text/*')) return c.text(configText(sections));
  throw new ApiError(406, 'Only application/json or text/plain is supported');
}
