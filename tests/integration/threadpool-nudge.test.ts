// The guard against a lost wake-up of libuv's thread pool (engine/threadpool-nudge.ts): a `dag` process queues its
// no-op job again and again while it runs, the guard never keeps a process alive, and the test workers run it too.
// The lost wake-up itself (a glibc race) cannot be brought about on demand; what it needs, a job queued now and then
// in every process that waits on the pool, is what is checked here.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dagAsync, killedAfterEach, runToEnd, until, workspace } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { NUDGE_EVERY_MS, threadpoolNudges } from '../../engine/threadpool-nudge.js';

const COUNTER = pathToFileURL(path.join(ROOT, 'dist/tests/support/count-nudges.js')).href;
const children = killedAfterEach();

describe('the thread pool nudge', () => {
  it('a running `dag scheduler` queues its job every second', async () => {
    const child = dagAsync(workspace(), ['scheduler'], { NODE_OPTIONS: `--import ${COUNTER}` });
    children.push(child);
    await until(() => (child.output().match(/^nudge$/gm) ?? []).length >= 2, 30_000, 'two nudges from dag scheduler');
  });

  it('never keeps a process alive: one that starts it and has nothing else to do exits at once', async () => {
    const mod = pathToFileURL(path.join(ROOT, 'dist/engine/threadpool-nudge.js')).href;
    const r = await runToEnd([process.execPath, '--input-type=module', '-e', `(await import(${JSON.stringify(mod)})).startThreadpoolNudge();`], process.env, { timeoutMs: 20_000 });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('runs in the test workers (vitest.config.js setupFiles)', async () => {
    const before = threadpoolNudges();
    await expect.poll(threadpoolNudges, { timeout: 10 * NUDGE_EVERY_MS, interval: 100 }).toBeGreaterThan(before);
  });
});
