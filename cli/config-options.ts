// The pipeline's settings as configuration options for GET /api/v2/config: [openaq] for OPENAQ_*, [windsock] for
// the lake, the warehouse and the emulator endpoints, [google] for the credentials file. Values come from the
// environment or the embedded defaults; the API key and credentials are marked secret (shown as `< hidden >`).
import type { ConfigOption } from '../engine/service/config.js';
import { PIPELINE_VARIABLES } from '../tasks/settings.js';

export function pipelineConfig(env: NodeJS.ProcessEnv = process.env): ConfigOption[] {
  const out: ConfigOption[] = [];
  for (const [name, def] of Object.entries(PIPELINE_VARIABLES)) {
    const value = env[name] || def.default;
    if (value === undefined) continue;
    const openaq = name.startsWith('OPENAQ_');
    out.push({ section: openaq ? 'openaq' : 'windsock', key: name.replace(/^(OPENAQ|WINDSOCK)_/, '').toLowerCase(), value, secret: name === 'OPENAQ_API_KEY' });
  }
  if (env.GOOGLE_APPLICATION_CREDENTIALS) out.push({ section: 'google', key: 'application_credentials', value: env.GOOGLE_APPLICATION_CREDENTIALS, secret: true });
  return out;
}
