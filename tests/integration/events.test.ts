// `GET /api/windsock/events` over real HTTP, fed by commits of `dag` commands running as other processes on the same
// WINDSOCK_HOME, exactly as a scheduler beside the web server commits them. The first two tests use real `dag`
// processes; the others make their changes with the same commands run in this process (in-process-cli.ts), each on its
// own connection to the state database, which is all the feed sees of a writer.
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { dag, until, workspace, type Workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { ChangeFeed, canReplay } from '../../ui/server/change-feed.js';
import { EVENTS_PATH, eventsRoute, parseLastEventId, type EventsRouteOptions } from '../../ui/server/events.js';
import { Store } from '../../engine/state/store.js';

const DAG = `
d:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: first, operator: bash, bash_command: "echo one"}
    - {task_id: second, operator: bash, bash_command: "echo two", dependencies: [first]}
`;

interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/** A real SSE client over fetch: parses events and comments as they arrive. */
class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  /** The server ended the stream. */
  ended = false;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = this.read(url, headers).catch((err) => {
      if ((err as Error).name !== 'AbortError') throw err;
    });
  }

  private async read(url: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(url, { headers, signal: this.abort.signal });
    this.status = res.status;
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        this.block(buf.slice(0, end));
        buf = buf.slice(end + 2);
      }
    }
    this.ended = true;
  }

  private block(text: string): void {
    const e: Partial<SseEvent> & { dataText?: string } = { event: 'message' };
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) e.id = line.slice(4);
      else if (line.startsWith('event: ')) e.event = line.slice(7);
      else if (line.startsWith('data: ')) e.dataText = (e.dataText ?? '') + line.slice(6);
    }
    if (e.dataText !== undefined) this.events.push({ id: e.id, event: e.event!, data: JSON.parse(e.dataText) });
  }

  get connected(): boolean {
    return this.comments.some((c) => c.startsWith('connected'));
  }

  ids(): number[] {
    return this.events.filter((e) => e.event !== 'resync').map((e) => Number(e.id));
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

interface Served {
  url: string;
  feed: ChangeFeed;
  clients: SseClient[];
  connect(headers?: Record<string, string>, query?: string): Promise<SseClient>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(ws: Workspace, opts: EventsRouteOptions = {}): Promise<Served> {
  const feed = ChangeFeed.open(ws.home);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: eventsRoute(feed, opts).fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${EVENTS_PATH}`;
  const clients: SseClient[] = [];
  cleanups.push(async () => {
    await Promise.all(clients.map((c) => c.close()));
    // Close the sockets too: close() alone waits for the clients' keep-alive connections to time out (undici keeps
    // one open 4 s), which was most of this file's time; the clients are closed by now.
    // https://nodejs.org/api/http.html#servercloseallconnections
    await new Promise((r) => {
      server.close(r);
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    feed.close();
  });
  return {
    url,
    feed,
    clients,
    async connect(headers = {}, query = '') {
      const c = new SseClient(url + query, headers);
      clients.push(c);
      await until(() => c.connected || c.status >= 400, 30_000, 'the stream to open');
      return c;
    },
  };
}

/** A workspace whose DAG is already parsed into the state database, so later commands change only what they say. */
async function parsedWorkspace(): Promise<Workspace> {
  const ws = workspace({ 'd.yaml': DAG });
  const r = await dagInProcess(ws, ['list']);
  expect(r.code, r.stderr).toBe(0);
  return ws;
}

const ofKind = (c: SseClient, kind: string) => c.events.filter((e) => e.event === kind);

// Each test runs several `dag` processes: generous on a busy machine.
describe('change events (SSE)', { timeout: 180_000 }, () => {
  it('delivers a pause and a trigger committed by another process', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws);
    const client = await s.connect();

    expect((await dag(ws, ['pause', 'd'])).code).toBe(0);
    await until(() => ofKind(client, 'dag').length > 0, 30_000, 'the pause event');
    expect(ofKind(client, 'dag')[0].data).toMatchObject({ kind: 'dag', op: 'update', dag_id: 'd', is_paused: true });

    const t = await dag(ws, ['trigger', 'd', '--run-id', 'manual_1']);
    expect(t.code, t.stderr).toBe(0);
    await until(() => ofKind(client, 'dag_run').length > 0, 30_000, 'the new run event');
    expect(ofKind(client, 'dag_run')[0].data).toMatchObject({ op: 'insert', dag_id: 'd', run_id: 'manual_1', state: 'queued', run_type: 'manual' });
    // the SSE id is the change id, increasing
    const ids = client.ids();
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("shows a real `dag run` moving each task instance through scheduled, queued, running and success", async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws);
    const client = await s.connect();
    const r = await dag(ws, ['run', 'd', '--date', '2024-01-02']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const statesOf = (task: string) => ofKind(client, 'task_instance').filter((e) => e.data.task_id === task).map((e) => e.data.state);
    await until(() => statesOf('second').includes('success'), 30_000, 'the last task to succeed');
    for (const task of ['first', 'second']) expect(statesOf(task)).toEqual(['scheduled', 'queued', 'running', 'success']);
    const running = ofKind(client, 'task_instance').find((e) => e.data.task_id === 'first' && e.data.state === 'running');
    expect(running?.data).toMatchObject({ try_number: 1, previous_state: 'queued' });
    const runStates = ofKind(client, 'dag_run').map((e) => e.data.state);
    expect(runStates[0]).toBe('queued');
    expect(runStates.at(-1)).toBe('success');
  });

  it('resumes from Last-Event-ID with nothing lost and nothing repeated', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws);
    const witness = await s.connect(); // connected throughout: sees every change
    const first = await s.connect();
    expect((await dagInProcess(ws, ['trigger', 'd', '--run-id', 'r1'])).code).toBe(0);
    await until(() => first.events.length > 0, 30_000, 'the first event');
    await first.close();
    const lastSeen = first.ids().at(-1)!;

    // while it is away: a pause, another run, and a clear-like change made through a second connection
    expect((await dagInProcess(ws, ['pause', 'd'])).code).toBe(0);
    expect((await dagInProcess(ws, ['trigger', 'd', '--run-id', 'r2'])).code).toBe(0);
    const store = Store.open(ws.home);
    store.runs.setState('d', 'r1', 'failed');
    store.close();
    await until(() => witness.events.some((e) => e.event === 'dag_run' && e.data.state === 'failed'), 30_000, 'the witness to see all');

    const again = await s.connect({ 'Last-Event-ID': String(lastSeen) });
    await until(() => again.ids().length > 0 && again.ids().at(-1) === witness.ids().at(-1), 30_000, 'the resumed client to catch up');
    expect([...first.ids(), ...again.ids()]).toEqual(witness.ids());
    expect(again.events.map((e) => e.data)).toEqual(witness.events.filter((e) => Number(e.id) > lastSeen).map((e) => e.data));

    // the same through the query parameter a page uses when it loads with a known id
    const byQuery = await s.connect({}, `?last_event_id=${lastSeen}`);
    await until(() => byQuery.ids().at(-1) === witness.ids().at(-1), 30_000, 'the query-resumed client');
    expect(byQuery.ids()).toEqual(again.ids());
  });

  it('sends the same events to many clients', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws);
    const clients = await Promise.all(Array.from({ length: 25 }, () => s.connect()));
    expect(s.feed.subscriberCount).toBe(25);
    expect((await dagInProcess(ws, ['trigger', 'd', '--run-id', 'many'])).code).toBe(0);
    await until(() => clients.every((c) => ofKind(c, 'dag_run').length > 0), 30_000, 'every client to hear of the run');
    for (const c of clients) expect(c.events).toEqual(clients[0].events);
  });

  it('filters by dag_id when asked', async () => {
    const ws = workspace({ 'd.yaml': DAG, 'e.yaml': DAG.replace('\nd:', '\ne:') });
    expect((await dagInProcess(ws, ['list'])).code).toBe(0);
    const s = await start(ws);
    const onlyE = await s.connect({}, '?dag_id=e');
    const all = await s.connect();
    expect((await dagInProcess(ws, ['pause', 'd'])).code).toBe(0);
    expect((await dagInProcess(ws, ['pause', 'e'])).code).toBe(0);
    await until(() => ofKind(all, 'dag').length === 2, 30_000, 'both pauses');
    await until(() => ofKind(onlyE, 'dag').length === 1, 30_000, 'the pause of e');
    expect(onlyE.events.map((e) => e.data.dag_id)).toEqual(['e']);
  });

  it('sends heartbeat comments while nothing happens', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws, { heartbeatMs: 100 });
    const client = await s.connect();
    await until(() => client.comments.filter((c) => c === 'ping').length >= 3, 30_000, 'three heartbeats');
    expect(client.events).toEqual([]);
  });

  it('forgets a client that disconnects', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws, { heartbeatMs: 100 });
    const clients = await Promise.all(Array.from({ length: 5 }, () => s.connect()));
    expect(s.feed.subscriberCount).toBe(5);
    await Promise.all(clients.slice(0, 4).map((c) => c.close()));
    await until(() => s.feed.subscriberCount === 1, 30_000, 'the closed streams to be unsubscribed');
    // the one left still hears changes
    expect((await dagInProcess(ws, ['pause', 'd'])).code).toBe(0);
    await until(() => ofKind(clients[4], 'dag').length === 1, 30_000, 'the pause');
  });

  it('drops a client that falls too far behind, which then resumes from the table', async () => {
    const ws = await parsedWorkspace();
    // a queue of 0: the first live change is already too many for any client
    const s = await start(ws, { maxQueue: 0 });
    const client = await s.connect();
    const before = s.feed.lastId;
    expect((await dagInProcess(ws, ['pause', 'd'])).code).toBe(0);
    await until(() => client.ended, 30_000, 'the server to end the stream');
    expect(client.events).toEqual([]);
    await until(() => s.feed.subscriberCount === 0, 30_000, 'the subscription to go');
    const again = await s.connect({ 'Last-Event-ID': String(before) });
    await until(() => ofKind(again, 'dag').length === 1, 30_000, 'the missed pause, from the table');
    expect(ofKind(again, 'dag')[0].data).toMatchObject({ dag_id: 'd', is_paused: true });
  });

  it('ends every stream when the feed closes, so the server can stop', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws);
    const clients = await Promise.all([s.connect(), s.connect()]);
    s.feed.close();
    await until(() => clients.every((c) => c.ended), 30_000, 'the streams to end');
    const late = await s.connect();
    expect(late.status).toBe(503);
  });

  it('answers a resume it cannot replay with a resync event, and a malformed Last-Event-ID with 400', async () => {
    const ws = await parsedWorkspace();
    const s = await start(ws);
    const future = await s.connect({ 'Last-Event-ID': String(s.feed.lastId + 1000) });
    await until(() => future.events.length > 0, 30_000, 'the resync');
    expect(future.events[0]).toMatchObject({ event: 'resync', id: String(s.feed.lastId), data: { latest_id: s.feed.lastId } });

    const bad = await s.connect({ 'Last-Event-ID': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(s.feed.subscriberCount).toBe(1);
  });
});

describe('resume decisions', () => {
  it('replays from the table only what it still holds, within the backlog limit', () => {
    expect(canReplay(10, 10, 1, 100)).toBe(true); // up to date
    expect(canReplay(5, 10, 1, 100)).toBe(true);
    expect(canReplay(5, 10, 6, 100)).toBe(true); // the oldest kept is the next one
    expect(canReplay(5, 10, 7, 100)).toBe(false); // 6 was trimmed
    expect(canReplay(5, 10, null, 100)).toBe(false); // all were trimmed
    expect(canReplay(11, 10, 1, 100)).toBe(false); // an id this database never wrote
    expect(canReplay(0, 200, 1, 100)).toBe(false); // too far back: reload instead
  });

  it('reads Last-Event-ID as a change id', () => {
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId(' ')).toBeUndefined();
    expect(parseLastEventId('42')).toBe(42);
    expect(parseLastEventId('-1')).toBeNull();
    expect(parseLastEventId('4.2')).toBeNull();
    expect(parseLastEventId('1e3')).toBeNull();
  });
});
