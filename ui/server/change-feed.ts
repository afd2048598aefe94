// One watcher of the `change` table for the whole web server, fanning each new change out to every subscriber.
// `PRAGMA data_version` on the feed's own connection moves whenever any other connection (this process's store, a
// scheduler in another process) commits, so polling it is a cheap way to notice commits; only then is the table read.
import { openDb, type Db } from '../../engine/state/db.js';
import { ChangeRepo, toChange, type Change } from '../../engine/state/changes.js';
import { logger } from '../../engine/log.js';

export interface ChangeFeedOptions {
  /** How often to look at data_version (default 50 ms). */
  pollMs?: number;
  /** A resume further back than this many changes is answered with a resync instead of the backlog (default 10,000). */
  maxBacklog?: number;
}

export type Listener = (changes: Change[]) => void;

export interface Subscriber {
  /** New changes, in commit order (the same array for every subscriber: do not modify it). */
  onChanges: Listener;
  /** The feed closed (the server is stopping): end the stream. */
  onClose?: () => void;
}

/** What a subscriber gets to start with: the changes it missed, or `resync` when they can no longer be replayed. */
export type Backlog = { resync: false; changes: Change[] } | { resync: true; changes: [] };

export interface Subscription {
  backlog: Backlog;
  /** The id the subscriber's stream starts after (its cursor once the backlog is sent). */
  cursor: number;
  unsubscribe(): void;
}

/** Pure: can the changes after `after` be replayed, given what the table still holds? */
export function canReplay(after: number, latest: number, oldest: number | null, maxBacklog: number): boolean {
  if (after > latest) return false; // an id from another database (or one recreated since)
  if (after === latest) return true;
  if (oldest === null || oldest > after + 1) return false; // some were trimmed
  return latest - after <= maxBacklog;
}

export class ChangeFeed {
  private readonly repo: ChangeRepo;
  private readonly subscribers = new Set<Subscriber>();
  private readonly timer: NodeJS.Timeout;
  private dataVersion = -1;
  private last: number;
  private readonly maxBacklog: number;

  /** `db` must be a connection of the feed's own: data_version does not move for a connection's own commits. */
  constructor(private readonly db: Db, opts: ChangeFeedOptions = {}) {
    this.repo = new ChangeRepo(db);
    this.maxBacklog = opts.maxBacklog ?? 10_000;
    this.last = this.repo.latestId();
    this.timer = setInterval(() => this.poll(), opts.pollMs ?? 50);
    this.timer.unref();
  }

  /** A feed on its own connection to the state database under `home`. */
  static open(home: string, opts: ChangeFeedOptions = {}): ChangeFeed {
    return new ChangeFeed(openDb(home), opts);
  }

  /** The id of the latest change handed to subscribers. */
  get lastId(): number {
    return this.last;
  }

  get closed(): boolean {
    return !this.db.open;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Subscribe, resuming after change `after` (a client's Last-Event-ID) or from now. Synchronous from reading the
   * backlog to adding the listener, so nothing committed in between is missed or sent twice.
   */
  subscribe(subscriber: Subscriber, after?: number): Subscription {
    this.poll();
    let backlog: Backlog = { resync: false, changes: [] };
    let cursor = this.last;
    if (after !== undefined && after !== this.last) {
      if (canReplay(after, this.last, this.repo.oldestId(), this.maxBacklog)) {
        const changes: Change[] = [];
        for (let from = after, rows; (rows = this.repo.between(from, this.last)).length; from = rows[rows.length - 1].id) {
          for (const r of rows) changes.push(toChange(r));
        }
        backlog = { resync: false, changes };
      } else {
        backlog = { resync: true, changes: [] };
      }
    }
    if (after !== undefined && !backlog.resync) cursor = after;
    this.subscribers.add(subscriber);
    return { backlog, cursor, unsubscribe: () => this.subscribers.delete(subscriber) };
  }

  /** Look for commits since the last look and hand any new changes to every subscriber. */
  poll(): void {
    if (!this.db.open) return;
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    for (let rows; (rows = this.repo.since(this.last)).length; ) {
      this.last = rows[rows.length - 1].id;
      const changes = rows.map(toChange);
      for (const sub of this.subscribers) {
        try {
          sub.onChanges(changes);
        } catch (err) {
          // one broken subscriber must not starve the others
          logger.error({ err }, 'change feed subscriber failed');
        }
      }
    }
  }

  /** Stop watching and tell every subscriber, so open streams end and the server can close. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    const subs = [...this.subscribers];
    this.subscribers.clear();
    for (const sub of subs) sub.onClose?.();
    this.db.close();
  }
}
