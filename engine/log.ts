// The engine's logger (pino) and secret redaction shared by every log the engine writes.
import pino from 'pino';
import { logLevelOf } from './settings.js';

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
export const logger = pino(
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
  process.stderr.isTTY ? prettyStream() : pino.destination(2),
);

function prettyStream(): pino.DestinationStream {
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
