// The engine's logger (pino) and secret redaction shared by every log the engine writes. pino is loaded when the first
// line is logged: most commands log nothing, and loading it was a tenth of their start-up.
import { createRequire } from 'node:module';
import type pinoModule from 'pino';
import { logLevelOf } from './settings.js';

type Pino = typeof pinoModule;

const SECRET_NAME = /(KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL)/i;

/** Values of secret-looking environment variables, longest first, so a log line never shows one. */
function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && v != null && v.length >= 4 && !/^(true|false|\d+)$/i.test(v))
    .map(([, v]) => v as string)
    .sort((a, b) => b.length - a.length);
}

let secrets: string[] | undefined;

export function redact(text: string): string {
  secrets ??= secretValues(process.env);
  for (const s of secrets) if (text.includes(s)) text = text.split(s).join('***');
  return text;
}

/** Forget the cached secret list (after settings change process.env). */
export function refreshSecrets(): void {
  secrets = undefined;
}

/** JSON lines on stderr when not on a terminal; a short human line on a terminal. Level from WINDSOCK_LOG_LEVEL. */
function createLogger(): pinoModule.Logger {
  const pino = createRequire(import.meta.url)('pino') as Pino;
  return pino(
    {
      level: logLevelOf(),
      base: undefined,
      redact: { paths: ['apiKey', '*.apiKey', 'headers["x-api-key"]', '*.headers["x-api-key"]'], censor: '***' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    process.stderr.isTTY ? prettyStream(pino) : pino.destination(2),
  );
}

let instance: pinoModule.Logger | undefined;

/** The logger, made on first use (methods bound to it, so `const { warn } = logger` works as with pino itself). */
export const logger: pinoModule.Logger = new Proxy({} as pinoModule.Logger, {
  get(_target, prop) {
    instance ??= createLogger();
    const value = Reflect.get(instance, prop, instance) as unknown;
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(instance) : value;
  },
  set(_target, prop, value) {
    instance ??= createLogger();
    return Reflect.set(instance, prop, value, instance);
  },
});

function prettyStream(pino: Pino): pinoModule.DestinationStream {
  return {
    write(line: string) {
      try {
        const { level, msg, time, ...rest } = JSON.parse(line) as Record<string, unknown>;
        const name = pino.levels.labels[level as number] ?? level;
        const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
        process.stderr.write(`${name}: ${msg}${extra}\n`);
      } catch {
        process.stderr.write(line);
      }
    },
  };
}
