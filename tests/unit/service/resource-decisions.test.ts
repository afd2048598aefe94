// The pure decisions behind backfills, secret masking and the config listing.
import { describe, expect, it } from 'vitest';
import { backfillDecision, backfillWaitReason } from '../../../engine/service/backfill.js';
import { isSensitiveName, maskedValue } from '../../../engine/service/secrets-mask.js';
import { configSections, configText } from '../../../engine/service/config.js';
import type { BackfillRow } from '../../../engine/state/rows.js';

describe('backfillDecision', () => {
  it('creates missing runs, leaves runs in flight, reprocesses finished ones only as asked', () => {
    const table = (['none', 'failed', 'completed'] as const).map((r) => [r, [undefined, 'queued', 'running', 'success', 'failed'].map((s) => backfillDecision(s as never, r))]);
    expect(table).toEqual([
      ['none', ['create', 'in-flight', 'in-flight', 'keep', 'keep']],
      ['failed', ['create', 'in-flight', 'in-flight', 'keep', 'clear-failed-tasks']],
      ['completed', ['create', 'in-flight', 'in-flight', 'clear-all-tasks', 'clear-all-tasks']],
    ]);
  });

  it('lets a queued backfill run start unless the backfill is paused or at its max_active_runs', () => {
    const b = { id: 3, is_paused: 0, max_active_runs: 2 } as BackfillRow;
    expect(backfillWaitReason(b, 1)).toBeNull();
    expect(backfillWaitReason(b, 2)).toBe('its backfill 3 has max_active_runs 2 and 2 run(s) running');
    expect(backfillWaitReason({ ...b, is_paused: 1 }, 0)).toMatch(/^its backfill 3 is paused/);
  });
});

describe('secret masking', () => {
  it("hides values of names with Airflow's sensitive words, in any case", () => {
    for (const n of ['DB_PASSWORD', 'api_key', 'ApiKey', 'my_secret', 'access_token', 'Authorization', 'passwd']) expect(isSensitiveName(n)).toBe(true);
    for (const n of ['bucket', 'city', 'host']) expect(isSensitiveName(n)).toBe(false);
  });

  it('masks a whole value by its key, or the secret keys one level into a JSON object', () => {
    expect(maskedValue('db_password', 'x')).toBe('***');
    expect(maskedValue('conn', '{"host":"h","password":"p","nested":{"token":"t"}}')).toBe('{"host":"h","password":"***","nested":{"token":"t"}}');
    expect(maskedValue('conn', '{"host":"h"}')).toBe('{"host":"h"}');
    expect(maskedValue('n', '[1,2]')).toBe('[1,2]');
    expect(maskedValue('plain', 'not json')).toBe('not json');
  });
});

describe('configSections', () => {
  it('groups options by section in order, hides secrets, writes a config file', () => {
    const sections = configSections([
      { section: 'core', key: 'dags_folder', value: '/d' },
      { section: 'api', key: 'host', value: 'h' },
      { section: 'core', key: 'fernet_key', value: 'k', secret: true },
      { section: 'api_auth', key: 'jwt_secret', value: 's' },
    ]);
    expect(sections).toEqual([
      { name: 'core', options: [{ key: 'dags_folder', value: '/d' }, { key: 'fernet_key', value: '< hidden >' }] },
      { name: 'api', options: [{ key: 'host', value: 'h' }] },
      { name: 'api_auth', options: [{ key: 'jwt_secret', value: '< hidden >' }] },
    ]);
    expect(configText(sections.slice(0, 2))).toBe('[core]\ndags_folder = /d\nfernet_key = < hidden >\n\n[api]\nhost = h\n');
  });
});
