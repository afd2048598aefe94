// The web server's settings: embedded defaults overridden by WINDSOCK_WEB_* (and a few auth) environment variables,
// overridden by `dag serve` flags. Read once at start; a bad value is one line naming the variable.
import { z } from 'zod';
import { UserError } from '../../engine/types.js';

export interface WebSettings {
  host: string;
  port: number;
  /** Origins allowed by CORS; empty = CORS off (no Access-Control-* headers at all). */
  corsOrigins: string[];
  /** Lifetime of an access token from POST /auth/token, seconds (Airflow's [api_auth] jwt_expiration_time). */
  jwtExpirationSec: number;
  /** Signing secret given by the environment; unset = a per-install secret file under WINDSOCK_HOME. */
  secretKey: string | null;
  /** The first admin's password; unset = one is generated and saved under WINDSOCK_HOME. */
  adminPassword: string | null;
  /** Tries of POST /auth/token per client address per minute. */
  loginAttemptsPerMinute: number;
}

/** Every variable read here, so the CLI's check for mistyped WINDSOCK_* names knows them. */
export const WEB_VARIABLE_NAMES = [
  'WINDSOCK_WEB_HOST', 'WINDSOCK_WEB_PORT', 'WINDSOCK_WEB_CORS_ORIGINS', 'WINDSOCK_JWT_EXPIRATION_SEC', 'WINDSOCK_SECRET_KEY',
  'WINDSOCK_ADMIN_PASSWORD', 'WINDSOCK_WEB_LOGIN_RATE',
  'WINDSOCK_DASHBOARD_PUBLIC', 'WINDSOCK_MAP_TILES',
] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().min(1);

export function webSettings(env: NodeJS.ProcessEnv = process.env, flags: { host?: string; port?: string } = {}): WebSettings {
  return {
    host: flags.host ?? (env.WINDSOCK_WEB_HOST || '127.0.0.1'),
    port: parse(port, flags.port ?? env.WINDSOCK_WEB_PORT, 8080, flags.port != null ? '--port' : 'WINDSOCK_WEB_PORT', 'a port from 0 to 65535'),
    corsOrigins: (env.WINDSOCK_WEB_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    jwtExpirationSec: parse(positive, env.WINDSOCK_JWT_EXPIRATION_SEC, 86400, 'WINDSOCK_JWT_EXPIRATION_SEC', 'a whole number of seconds'),
    secretKey: env.WINDSOCK_SECRET_KEY || null,
    adminPassword: env.WINDSOCK_ADMIN_PASSWORD || null,
    loginAttemptsPerMinute: parse(positive, env.WINDSOCK_WEB_LOGIN_RATE, 10, 'WINDSOCK_WEB_LOGIN_RATE', 'a whole number of tries'),
  };
}

function parse(schema: z.ZodType<number>, raw: string | undefined, fallback: number, name: string, what: string): number {
  if (raw == null || raw === '') return fallback;
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  if (name.startsWith('--')) throw new UserError(`${name} ${raw} is not ${what}: pass e.g. ${name} ${fallback}`);
  throw new UserError(`${name}=${raw} is not ${what}: set e.g. ${name}=${fallback}`);
}
