// Where the pipeline's OpenAQ data comes from: the real API when OPENAQ_API_KEY is set, else the built-in simulator
// (started here on 127.0.0.1, its URL written to OPENAQ_BASE_URL so worker threads and child processes use it).
import { openaqSettings } from './settings.js';

export interface OpenAQService {
  baseUrl: string;
  simulated: boolean;
  close(): Promise<void>;
}

export async function ensureOpenAQ(env: NodeJS.ProcessEnv = process.env): Promise<OpenAQService> {
  // A base URL without a key is a test server or proxy someone started on purpose: use it as it is.
  if (env.OPENAQ_API_KEY || env.OPENAQ_BASE_URL) {
    return { baseUrl: openaqSettings(env).baseUrl, simulated: false, close: async () => {} };
  }
  const { startSimulator } = await import('./simulator/server.js');
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 0 });
  // The simulator enforces no limit: do not wait for one on the client side either (unless asked to).
  const set: Record<string, string> = { OPENAQ_BASE_URL: sim.url };
  for (const k of ['OPENAQ_RATE_LIMIT_PER_MINUTE', 'OPENAQ_RATE_LIMIT_PER_HOUR']) if (env[k] === undefined) set[k] = '0';
  Object.assign(env, set);
  return {
    baseUrl: sim.url,
    simulated: true,
    close: async () => {
      await sim.close();
      for (const [k, v] of Object.entries(set)) if (env[k] === v) delete env[k];
    },
  };
}
