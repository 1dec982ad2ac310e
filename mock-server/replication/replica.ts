/**
 * A replica: this mock's side of a state shared with other mocks through Redis (the log: redis-log.ts).
 *
 * Every replica holds the whole state in memory and answers reads from it. A change (a public write, an
 * admin change) is not applied when it arrives: it is appended to the log, and every replica, this one
 * included, applies the log's changes one by one in its order (`receive`). So all decide alike: of two
 * creates with one email, the first in the log wins on every replica. This replica answers its own change
 * once it has applied it, with what applying it gave.
 *
 * What would make replicas disagree is settled by the accepting replica before the change is sent: the
 * time and the new ids travel with it (`now` and `newId` read them while it is applied).
 *
 * A strong read first asks Redis for the number of the last change (one round trip, shared by the reads
 * that arrive while it is under way) and waits until it has applied that far. Every `snapshotEvery`
 * changes, the replica that made the change writes the whole state to Redis and the log is trimmed behind
 * the previous snapshot. A replica that starts loads the snapshot and reads the log after it; one that
 * finds a gap (it fell behind a trim) loads the snapshot again.
 *
 * While Redis is out of reach: reads answer from memory, flagged stale; writes are refused 503 with
 * `Retry-After`; the connections come back by themselves. A Redis that comes back empty (restarted with no
 * persistence) is given this replica's state (the most advanced replica's wins: see redis-log.ts).
 *
 * This file holds the order of things (sending, applying, loading, epochs); the parts it uses are apart:
 * entry.ts (a change in the log, its time and ids), pending-writes.ts (its own changes awaiting their
 * answer), applied-waits.ts (reads waiting to catch up), log-head.ts (the shared question "where is the
 * log"), log-reader.ts (the reading loop), snapshots.ts, outage.ts (503s, notices, timeouts).
 */

import type { Engine } from "../engine/index.ts";
import type { Change, Replication, ReplicationStatus } from "../engine/replication-port.ts";
import { HttpError } from "../http-error.ts";
import type { Subscription } from "../webhooks/subscriptions.ts";
import { AppliedWaits } from "./applied-waits.ts";
import { type Entry, EntryClock } from "./entry.ts";
import { loadImage, seedImage, takeImage } from "./image.ts";
import { LogHeadQuestions } from "./log-head.ts";
import { followLog } from "./log-reader.ts";
import { OutageNotices, RedisUnreachableError, unavailable, withTimeout } from "./outage.ts";
import { PendingWrites } from "./pending-writes.ts";
import { EmptyLogError, type LogEntry, type LogHead, RedisLog, type Snapshot } from "./redis-log.ts";
import { printable, type RedisOptions, redisDefaults } from "./redis-options.ts";
import { Snapshots } from "./snapshots.ts";

export { RedisUnreachableError } from "./outage.ts";

export interface ReplicaContext {
  /** The clock and ids outside a change (the mock's; tests fix them). */
  now?: () => string;
  newId?: () => string;
  /** Told of what goes wrong out of any request's path that is a bug (a snapshot that cannot be taken). */
  onError?: (error: unknown) => void;
  /** Told, in a line, when Redis goes out of reach (once per outage) and when it is back. */
  onNotice?: (line: string) => void;
}
/** The longest a read waits for the changes before it, or a write for its own, before giving up. */
const WAIT_MS = 5000;
/** How long `status` waits for Redis's answer. */
const STATUS_TIMEOUT_MS = 1000;
/** How long a replica waits for Redis at start before it gives up. */
const START_TIMEOUT_MS = 10_000;

export class Replica implements Replication {
  /** This replica's name in the log. */
  readonly id = globalThis.crypto.randomUUID();
  readonly options: Required<RedisOptions>;
  private readonly log: RedisLog;
  private engine: Engine | undefined;
  /** The number and stream id of the last change applied here, and the epoch (history) they belong to. */
  private applied = 0;
  private lastId = "0-0";
  private epoch = "";
  private readonly clock: EntryClock;
  /** The clock of the store: a change's own time while it is applied. */
  readonly now: () => string;
  /** New ids: a change's own while it is applied (the same on every replica). */
  readonly newId: () => string;
  private readonly pending = new PendingWrites();
  private readonly waits = new AppliedWaits(() => this.applied, WAIT_MS);
  private readonly heads: LogHeadQuestions;
  private readonly snapshots: Snapshots;
  private readonly outage: OutageNotices;
  /** A reload of the snapshot under way (another epoch was met), which reads and the log reader wait for. */
  private reloading: Promise<void> | undefined;
  private recovering: Promise<void> | undefined;
  private started: Subscription[] = [];
  private closed = false;
  private reading: Promise<void> | undefined;
  private readonly report: (error: unknown) => void;

  constructor(options: RedisOptions, context: ReplicaContext = {}) {
    this.options = redisDefaults(options);
    this.report = context.onError ?? (() => undefined);
    this.outage = new OutageNotices(this.options.url, context.onNotice ?? (() => undefined));
    this.clock = new EntryClock(
      context.now ?? (() => new Date().toISOString()),
      context.newId ?? (() => globalThis.crypto.randomUUID()),
    );
    this.now = this.clock.now;
    this.newId = this.clock.newId;
    this.log = new RedisLog(this.options.url, this.options.prefix, (error) => this.outage.outOfReach(error));
    this.heads = new LogHeadQuestions(this.log);
    this.snapshots = new Snapshots(this.log, this.options, this.id, this.report);
    this.log.client.on("ready", () => this.outage.back());
  }

  /** True while this replica applies a change it accepted: its webhooks go out from here only. */
  get applyingOwn(): boolean {
    return this.clock.origin === this.id;
  }

  /** Whether Redis is reachable now. */
  get connected(): boolean {
    return this.log.connected;
  }

  /**
   * Connects, seeds the prefix if it is empty (the first replica's seed and sizes count), loads the
   * snapshot and the changes after it, and starts following the log. Throws when Redis cannot be reached
   * in 10 s.
   */
  async start(engine: Engine): Promise<void> {
    this.engine = engine;
    this.started = engine.webhooks.subscriptions.list();
    await withTimeout(this.log.connect(), START_TIMEOUT_MS, () => {
      this.log.close();
      const problem = this.outage.problem;
      const why = problem === undefined ? "" : ` (${problem})`;
      return new RedisUnreachableError(`cannot reach Redis at ${printable(this.options.url)} in 10 s${why}`);
    });
    await this.log.restore({ n: 0, id: "0-0", epoch: newEpoch(), image: seedImage(engine) });
    await this.load(true);
    this.reading = followLog(this.log, {
      closed: () => this.closed,
      after: () => this.lastId,
      take: (entries) => this.take(entries),
      report: this.report,
    });
    await this.catchUp();
    // Each reconnection: a Redis that came back empty gets this replica's state.
    this.log.client.on("ready", () => {
      this.recoverIfBehind().catch((error) => this.report(error));
    });
  }

  async status(): Promise<ReplicationStatus> {
    const { url, prefix, consistency } = this.options;
    const connected = this.log.connected;
    let last: number | null = null;
    if (connected) {
      try {
        last = (await withTimeout(this.log.head(), STATUS_TIMEOUT_MS, () => new Error("no answer"))).n;
      } catch {
        last = null;
      }
    }
    return {
      shared: true,
      redis: printable(url),
      prefix,
      consistency,
      connected,
      epoch: this.epoch,
      applied: this.applied,
      last,
      behind: last === null ? null : Math.max(0, last - this.applied),
    };
  }

  /** Resolves once the snapshot being written, if any, is in Redis (or failed). */
  async snapshotWritten(): Promise<void> {
    await this.snapshots.written();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending.rejectAll(unavailable("the mock is stopping"));
    this.waits.giveUp();
    await this.log.close();
    await this.reading;
  }

  submit(change: Change): Promise<unknown> {
    if (this.closed || !this.log.connected) return Promise.reject(unavailable("cannot send the change"));
    const { ticket, answer } = this.pending.open();
    const entry = this.clock.stamp(change, this.id, ticket);
    const sent = this.append(JSON.stringify(entry), ticket).catch((error: unknown) => {
      this.pending.drop(ticket);
      throw error instanceof HttpError ? error : unavailable("the change was not stored");
    });
    return sent.then(() =>
      withTimeout(answer, WAIT_MS, () => {
        this.pending.drop(ticket);
        return unavailable("the change is stored but not yet applied here");
      }),
    );
  }

  beforeRead(): false | Promise<boolean> {
    if (!this.log.connected) return Promise.resolve(true);
    if (this.options.consistency === "eventual") return false;
    return this.heads.lastChange().then(
      (head) => this.reach(head).then((done) => !done),
      () => true,
    );
  }

  /** Waits until every change appended so far is applied here (or the wait times out). */
  async catchUp(): Promise<void> {
    await this.reach(await this.heads.lastChange());
  }

  /**
   * Resolves to true once this replica holds the log up to `head`; false when it cannot tell (Redis lost
   * its data and no replica has put it back yet) or the wait timed out.
   */
  private async reach(head: LogHead): Promise<boolean> {
    if (head.epoch === null) {
      this.recoverIfBehind().catch((error) => this.report(error));
      return false;
    }
    if (head.epoch !== this.epoch) {
      await this.recoverIfBehind();
      return this.reach(await this.log.head());
    }
    return head.n <= this.applied ? true : this.waits.until(head.n);
  }

  private async append(text: string, ticket: number): Promise<void> {
    let logged: LogEntry;
    try {
      logged = await this.log.append(text);
    } catch (error) {
      if (!(error instanceof EmptyLogError)) throw error;
      // Redis lost its data: put this replica's state back, then append after it.
      await this.recover();
      logged = await this.log.append(text);
    }
    // The next change in this replica's history: applied now, not a round trip later when the log reader
    // brings it back (it then skips it). Else the reader applies the changes before it first.
    if (logged.epoch === this.epoch && logged.n === this.applied + 1 && this.reloading === undefined) {
      this.receive(logged);
      this.waits.wake();
      return;
    }
    this.pending.numbered(ticket, logged.n, logged.epoch, { n: this.applied, epoch: this.epoch });
  }

  /** A batch the log reader brought: each change in order; a gap (trimmed past) loads the snapshot again. */
  private async take(entries: LogEntry[]): Promise<void> {
    for (const entry of entries) {
      // Another history (Redis was emptied and restored), or changes trimmed before they were read.
      if (entry.epoch !== this.epoch) {
        await this.recoverIfBehind();
        break;
      }
      if (entry.n > this.applied + 1) {
        await this.reload();
        break;
      }
      if (entry.n <= this.applied) continue;
      this.receive(entry);
    }
    this.waits.wake();
  }

  /** Applies one change, answers its caller if it is this replica's, and writes a snapshot when due. */
  private receive(logged: LogEntry): void {
    const engine = this.engine as Engine;
    let entry: Entry;
    try {
      entry = JSON.parse(logged.text) as Entry;
    } catch (error) {
      // Not a change of ours: skipped by every replica alike.
      this.report(error);
      this.advance(logged);
      return;
    }
    let outcome: unknown;
    let failed = false;
    try {
      outcome = this.clock.during(entry, () => engine.apply(entry.change));
    } catch (error) {
      failed = true;
      outcome = error;
    }
    this.advance(logged);
    if (entry.origin !== this.id) return;
    this.pending.settle(entry.ticket, failed, outcome);
    if (this.snapshots.dueAfter(logged.n)) this.snapshots.save(logged, this.epoch, engine);
  }

  private advance(logged: LogEntry): void {
    this.applied = logged.n;
    this.lastId = logged.id;
  }

  /** Loads the snapshot again, once for all who ask at the same time. */
  private reload(): Promise<void> {
    this.reloading ??= this.load(false).finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** Loads the snapshot: the state, and where to read the log from. */
  private async load(fresh: boolean): Promise<void> {
    let snapshot = await this.log.snapshot();
    if (snapshot === undefined) {
      await this.log.restore(this.here());
      snapshot = await this.log.snapshot();
      if (snapshot === undefined) throw new Error("Redis holds no snapshot after one was written");
    }
    const engine = this.engine as Engine;
    loadImage(engine, snapshot.image, this.started, fresh);
    this.applied = snapshot.n;
    this.lastId = snapshot.id;
    this.epoch = snapshot.epoch;
    this.snapshots.countFrom(snapshot.n, engine);
    this.pending.loadedUpTo(snapshot.n, snapshot.epoch);
    this.waits.wake();
  }

  /** This replica's state as a snapshot of a new epoch. */
  private here(): Snapshot {
    return { n: this.applied, id: "0-0", epoch: newEpoch(), image: takeImage(this.engine as Engine) };
  }

  /**
   * After Redis was out of reach, or emptied: when the log no longer holds what this replica has applied,
   * this replica puts its state back as a new epoch (RESTORE allows it into an empty Redis, or over a state
   * behind it that nobody built on yet); else it takes the state the log holds now.
   */
  private async recover(): Promise<void> {
    const mine = this.here();
    if (await this.log.restore(mine)) {
      this.epoch = mine.epoch;
      this.lastId = "0-0";
      this.waits.wake();
    } else await this.reload();
  }

  /** `recover`, when Redis lost changes this replica holds; once at a time. */
  private recoverIfBehind(): Promise<void> {
    this.recovering ??= (async () => {
      if (this.closed) return;
      const head = await this.log.head();
      if (head.epoch === this.epoch && head.n >= this.applied) return;
      await this.recover();
    })().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }
}

const newEpoch = () => globalThis.crypto.randomUUID();
