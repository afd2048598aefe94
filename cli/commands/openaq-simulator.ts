// `dag openaq-simulator`: the offline OpenAQ v3 simulator on its own, with the real API's rate limit and optional
// faults, until Ctrl-C. Point a pipeline at it with OPENAQ_BASE_URL=<the printed URL>.
import type { Command } from 'commander';

interface Opts {
  port: string;
  rateLimit: string;
  rateWindowMs?: string;
  fail429?: string;
  fail5xx?: string;
  truncate?: string;
  malformed?: string;
  slow?: string;
  seed?: string;
  apiKey?: string;
}

export function register(program: Command): void {
  program
    .command('openaq-simulator')
    .description('serve simulated OpenAQ v3 data for the Île-de-France stations on 127.0.0.1 until Ctrl-C')
    .option('--port <n>', 'port to listen on (0: any free port)', '8787')
    .option('--rate-limit <n>', 'requests per minute per key, as the real API (0: no limit)', '60')
    .option('--rate-window-ms <ms>', 'length of the rate window in milliseconds (default a clock minute)')
    .option('--fail-429 <rate>', 'share of requests answered 429 Too many requests (0..1)')
    .option('--fail-5xx <rate>', 'share of requests answered 500/502/503 (0..1)')
    .option('--truncate <rate>', 'share of responses cut off half way through the body (0..1)')
    .option('--malformed <rate>', 'share of 200 responses whose body is not valid JSON (0..1)')
    .option('--slow <ms>', 'delay every response by this many milliseconds')
    .option('--seed <n>', 'seed of the fault pattern (same seed, same faults)')
    .option('--api-key <key>', 'require this X-API-Key (401 otherwise)')
    .action(async (o: Opts) => {
      const [{ UserError }, { startSimulator }] = await Promise.all([import('../../engine/types.js'), import('../../tasks/openaq/simulator/index.js')]);
      const whole = (flag: string, v: string | undefined, min = 0): number | undefined => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < min) throw new UserError(`${flag} ${v} is not a whole number >= ${min}`);
        return n;
      };
      const rate = (flag: string, v: string | undefined): number | undefined => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 1) throw new UserError(`${flag} ${v} is not a share between 0 and 1 (e.g. ${flag} 0.1)`);
        return n;
      };
      const port = whole('--port', o.port) as number;
      if (port > 65535) throw new UserError(`--port ${port} is not a port (0..65535)`);
      const faults = {
        rate429: rate('--fail-429', o.fail429),
        rate5xx: rate('--fail-5xx', o.fail5xx),
        rateTruncated: rate('--truncate', o.truncate),
        rateMalformed: rate('--malformed', o.malformed),
        slowMs: whole('--slow', o.slow),
        seed: whole('--seed', o.seed),
      };
      if ((faults.rate429 ?? 0) + (faults.rate5xx ?? 0) + (faults.rateTruncated ?? 0) + (faults.rateMalformed ?? 0) > 1) {
        throw new UserError('the fault rates add up to more than 1: lower --fail-429, --fail-5xx, --truncate or --malformed');
      }
      const rateLimitPerMinute = whole('--rate-limit', o.rateLimit) as number;
      let sim;
      try {
        sim = await startSimulator({ port, host: '127.0.0.1', rateLimitPerMinute, rateWindowMs: whole('--rate-window-ms', o.rateWindowMs, 1), faults, apiKey: o.apiKey });
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const limit = rateLimitPerMinute ? `${rateLimitPerMinute} requests per ${o.rateWindowMs ? `${o.rateWindowMs} ms` : 'minute'}` : 'no rate limit';
      process.stdout.write(`OpenAQ v3 simulator listening on ${sim.url} (${limit}${o.apiKey ? ', X-API-Key required' : ''})\n`);
      process.stdout.write(`try: curl '${sim.url}/v3/locations?bbox=1.4462,48.1201,3.5592,49.2415&limit=5'\n`);
      process.stdout.write(`use it: OPENAQ_BASE_URL=${sim.url} npx dag run openaq --date 2024-04-20\nCtrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      const s = sim.stats();
      await sim.close();
      process.stdout.write(`\nstopped after ${s.requests} request(s) (${s.status429} answered 429, ${s.faults} fault(s) injected)\n`);
    });
}
