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
 */

import type { Engine } from "../engine/index.ts";
import { type Change, type Replication, type ReplicationStatus, STALE_HEADER } from "../engine/replication-port.ts";
import { HttpError } from "../http-error.ts";
import type { State } from "../store/state.ts";
import type { Subscription } from "../webhooks/subscriptions.ts";
import { imageJsonChunks, loadImage, type MockImage, seedImage, takeImage } from "./image.ts";
import { printable, type RedisOptions, redisDefaults } from "./options.ts";
import { EmptyLogError, type LogEntry, type LogHead, RedisLog, type Snapshot } from "./redis-log.ts";

/** A change as it is appended: with what the accepting replica settled, and who accepted it. */
interface Entry {
  change: Change;
  /** When it was accepted: the time its records are stamped with on every replica. */
  ts: string;
  /** The id its first new record takes; the others' are derived from it (`newId`). */
  ids: string[];
  /** The accepting replica, and its number for the change: how that replica finds its caller again. */
  origin: string;
  ticket: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: unknown): void;
  /** The change's number and epoch in the log, once Redis has answered the append. */
  n?: number;
  epoch?: string;
}

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
/** How long a blocking read of the log waits before it asks again (and notices it was closed). */
const BLOCK_MS = 2000;
/** How long `status` waits for Redis's answer. */
const STATUS_TIMEOUT_MS = 1000;
/** How long a replica waits for Redis at start before it gives up. */
const START_TIMEOUT_MS = 10_000;
/** What `Retry-After` says to a write refused while Redis is out of reach, in seconds. */
const RETRY_AFTER_S = 1;

const unavailable = (why: string) =>
  new HttpError("service_unavailable", `The mock's shared state (Redis) is out of reach: ${why}. Retry shortly.`, [], {
    "retry-after": String(RETRY_AFTER_S),
  });

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
  private tickets = 0;
  private readonly pending = new Map<number, Pending>();
  /** The change being applied, and how many of its ids were taken. */
  private current: Entry | undefined;
  private idsTaken = 0;
  /** Reads waiting until a number of changes is applied, by that number. */
  private readonly waiting = new Map<number, { promise: Promise<boolean>; resolve(done: boolean): void }>();
  private checking: Promise<LogHead> | undefined;
  private queued: Promise<LogHead> | undefined;
  /** A reload of the snapshot under way (another epoch was met), which reads and the log reader wait for. */
  private reloading: Promise<void> | undefined;
  /** A snapshot being written, and the change of the last snapshot this replica knows of. */
  private saving: Promise<void> | undefined;
  private snapshotAt = 0;
  /** The change from which the next snapshot may be due (snapshotInterval, as last counted, after snapshotAt). */
  private dueAt = 0;
  private started: Subscription[] = [];
  private closed = false;
  private reading: Promise<void> | undefined;
  private readonly report: (error: unknown) => void;
  private readonly notice: (line: string) => void;
  /** What the connection last failed with, until it is ready again: each outage is told once. */
  private problem: string | undefined;
  private readonly baseNow: () => string;
  private readonly baseNewId: () => string;

  constructor(options: RedisOptions, context: ReplicaContext = {}) {
    this.options = redisDefaults(options);
    this.report = context.onError ?? (() => undefined);
    this.notice = context.onNotice ?? (() => undefined);
    this.baseNow = context.now ?? (() => new Date().toISOString());
    this.baseNewId = context.newId ?? (() => globalThis.crypto.randomUUID());
    this.log = new RedisLog(this.options.url, this.options.prefix, (error) => this.outOfReach(error));
    this.log.client.on("ready", () => {
      if (this.problem === undefined) return;
      this.problem = undefined;
      this.notice(`Redis at ${printable(this.options.url)} is back.`);
    });
  }

  private outOfReach(error: Error): void {
    const message = error.message.replace(/\.$/, "");
    if (message === this.problem) return;
    this.problem = message;
    this.notice(
      `Redis at ${printable(this.options.url)}: ${message}. Reconnecting; meanwhile reads are answered from memory (flagged ${STALE_HEADER}) and writes 503.`,
    );
  }

  /** The clock of the store: a change's own time while it is applied. */
  readonly now = (): string => this.current?.ts ?? this.baseNow();

  /** New ids: a change's own while it is applied (the same on every replica). */
  readonly newId = (): string => {
    const entry = this.current;
    if (entry === undefined) return this.baseNewId();
    const taken = this.idsTaken++;
    const id = entry.ids[taken];
    if (id !== undefined) return id;
    // More ids than were sent: made from the first, so that every replica makes the same.
    return `${(entry.ids[0] as string).slice(0, 24)}${taken.toString(16).padStart(12, "0")}`;
  };

  /** True while this replica applies a change it accepted: its webhooks go out from here only. */
  get applyingOwn(): boolean {
    return this.current?.origin === this.id;
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
      const why = this.problem === undefined ? "" : ` (${this.problem})`;
      return new RedisUnreachableError(`cannot reach Redis at ${printable(this.options.url)} in 10 s${why}`);
    });
    await this.log.restore({ n: 0, id: "0-0", epoch: newEpoch(), image: seedImage(engine) });
    await this.load(true);
    this.reading = this.follow();
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
    await this.saving;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiting of this.pending.values()) waiting.reject(unavailable("the mock is stopping"));
    this.pending.clear();
    for (const waiter of this.waiting.values()) waiter.resolve(false);
    await this.log.close();
    await this.reading;
  }

  submit(change: Change): Promise<unknown> {
    if (this.closed || !this.log.connected) return Promise.reject(unavailable("cannot send the change"));
    const ticket = ++this.tickets;
    const entry: Entry = { change, ts: this.baseNow(), ids: [this.baseNewId()], origin: this.id, ticket };
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(ticket, { resolve, reject }));
    // The change may come back (and be refused) before the append's reply: handled below, not unhandled.
    answer.catch(() => undefined);
    const sent = this.append(JSON.stringify(entry), ticket).catch((error: unknown) => {
      this.pending.delete(ticket);
      throw error instanceof HttpError ? error : unavailable("the change was not stored");
    });
    return sent.then(() =>
      withTimeout(answer, WAIT_MS, () => {
        this.pending.delete(ticket);
        return unavailable("the change is stored but not yet applied here");
      }),
    );
  }

  beforeRead(): false | Promise<boolean> {
    if (!this.log.connected) return Promise.resolve(true);
    if (this.options.consistency === "eventual") return false;
    return this.lastChange().then(
      (head) => this.reach(head).then((done) => !done),
      () => true,
    );
  }

  /** Waits until every change appended so far is applied here (or the wait times out). */
  async catchUp(): Promise<void> {
    await this.reach(await this.lastChange());
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
    return head.n <= this.applied ? true : this.until(head.n);
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
      this.wake();
      return;
    }
    const waiting = this.pending.get(ticket);
    if (waiting === undefined) return;
    waiting.n = logged.n;
    waiting.epoch = logged.epoch;
    // Already behind this replica (a snapshot holding it was loaded meanwhile): made, but its answer is lost.
    if (logged.epoch === this.epoch && logged.n <= this.applied) this.lose(ticket, waiting);
  }

  private lose(ticket: number, waiting: Pending): void {
    this.pending.delete(ticket);
    waiting.reject(unavailable("this replica reloaded the shared state meanwhile; the change may have been made"));
  }

  /**
   * Where the log stands. One question to Redis at a time: the reads that arrive while one is under way
   * share the next, which is asked once it is answered (it must be asked after they came).
   */
  private lastChange(): Promise<LogHead> {
    if (this.checking === undefined) return this.ask();
    this.queued ??= this.checking.then(
      () => this.ask(),
      () => this.ask(),
    );
    return this.queued;
  }

  private ask(): Promise<LogHead> {
    this.queued = undefined;
    const asked = this.log.head();
    this.checking = asked;
    const done = () => {
      if (this.checking === asked) this.checking = undefined;
    };
    asked.then(done, done);
    return asked;
  }

  /** Resolves to true once change `n` is applied here, false after WAIT_MS. */
  private until(n: number): Promise<boolean> {
    if (n <= this.applied) return Promise.resolve(true);
    let waiter = this.waiting.get(n);
    if (waiter === undefined) {
      let resolve!: (done: boolean) => void;
      const promise = new Promise<boolean>((r) => {
        resolve = r;
      });
      const timer = setTimeout(() => finish(false), WAIT_MS);
      const finish = (done: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(n);
        resolve(done);
      };
      waiter = { promise, resolve: finish };
      this.waiting.set(n, waiter);
    }
    return waiter.promise;
  }

  /** Follows the log until closed: each change in order; a gap (trimmed past) loads the snapshot again. */
  private async follow(): Promise<void> {
    while (!this.closed) {
      try {
        const entries = await this.log.read(this.lastId, BLOCK_MS, 1000);
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
        this.wake();
      } catch (error) {
        if (this.closed) return;
        // Out of reach: wait for the connection to come back (ioredis reconnects by itself).
        await this.readerBack();
        if (!(error instanceof Error && /Connection|closed|ECONNREFUSED|offline/i.test(error.message))) {
          this.report(error);
        }
      }
    }
  }

  private readerBack(): Promise<void> {
    if (this.log.reader.status === "ready") return new Promise((resolve) => setTimeout(resolve, 50));
    return new Promise((resolve) => {
      const done = () => {
        clearInterval(poll);
        this.log.reader.off("ready", done);
        resolve();
      };
      // The close check: a replica closed while Redis is away stops waiting.
      const poll = setInterval(() => {
        if (this.closed) done();
      }, 200);
      this.log.reader.once("ready", done);
    });
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
    this.current = entry;
    this.idsTaken = 0;
    let result: unknown;
    let failure: unknown;
    let failed = false;
    try {
      result = engine.apply(entry.change);
    } catch (error) {
      failed = true;
      failure = error;
    } finally {
      this.current = undefined;
    }
    this.advance(logged);
    if (entry.origin === this.id) {
      const waiting = this.pending.get(entry.ticket);
      this.pending.delete(entry.ticket);
      if (failed) waiting?.reject(failure);
      else waiting?.resolve(result);
    }
    if (entry.origin === this.id && logged.n >= this.dueAt) this.saveSnapshot(logged);
  }

  private advance(logged: LogEntry): void {
    this.applied = logged.n;
    this.lastId = logged.id;
  }

  private wake(): void {
    for (const [n, waiter] of this.waiting) if (n <= this.applied) waiter.resolve(true);
  }

  /**
   * Counts from a snapshot at change `at` (loaded or written): the next is due `snapshotEvery` changes
   * later, or as many changes as the records it held when that is more, so that a snapshot, which costs the
   * whole state, costs each change a bounded share of it however large the state grows. A replica counts
   * from the last snapshot it knows of; the one that makes the change where one is due writes it.
   */
  private snapshotted(at: number): void {
    const { store, workspaces } = this.engine as Engine;
    let records = recordsOf(store.state);
    for (const workspace of workspaces.values()) records += recordsOf(workspace.store.state);
    this.snapshotAt = at;
    this.dueAt = at + Math.max(this.options.snapshotEvery, records);
  }

  /**
   * The state as it is now (right after change `at`) goes to Redis; the log is trimmed to the changes from
   * the previous snapshot on. The records are taken now (the store never changes a record in place, so the arrays of
   * them are the state at `at`); their JSON is made and sent a piece at a time between requests, so that a
   * large state holds up neither the answers nor Redis. One snapshot at a time: one due meanwhile is left
   * to the next.
   */
  private saveSnapshot(at: LogEntry): void {
    if (this.saving) return;
    const previousAt = this.snapshotAt;
    this.snapshotted(at.n);
    const image = takeImage(this.engine as Engine);
    const epoch = this.epoch;
    this.saving = (async () => {
      const head = `{"n":${at.n},"id":${JSON.stringify(at.id)},"epoch":${JSON.stringify(epoch)},"image":`;
      await this.log.keep(
        at.n,
        epoch,
        snapshotPieces(head, image),
        this.id,
        previousAt > 0 ? previousAt : undefined,
        this.options.keepChanges,
      );
    })()
      .catch((error) => {
        // Redis out of reach: the next snapshot will do.
        if (this.log.connected) this.report(error);
      })
      .finally(() => {
        this.saving = undefined;
      });
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
    loadImage(this.engine as Engine, snapshot.image, this.started, fresh);
    this.applied = snapshot.n;
    this.lastId = snapshot.id;
    this.epoch = snapshot.epoch;
    this.snapshotted(snapshot.n);
    // Changes of this replica's that the snapshot holds were made, but their answers are lost; those after
    // it are still to come (and those not yet numbered are told when they are, in `append`).
    for (const [ticket, waiting] of this.pending) {
      if (waiting.n === undefined) continue;
      if (waiting.epoch !== snapshot.epoch || waiting.n <= snapshot.n) this.lose(ticket, waiting);
    }
    this.wake();
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
      this.wake();
    } else await this.reload();
  }

  private recovering: Promise<void> | undefined;

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

/** About how many records a state holds: its contacts, chats, messages and team (what a snapshot writes). */
function recordsOf(state: State): number {
  let messages = 0;
  for (const chat of state.messages.values()) messages += chat.size;
  return state.contacts.size + state.chats.size + messages + state.team.size;
}

/** About how many bytes of a snapshot go to Redis in one command: small enough that Redis serves others between. */
const PIECE_BYTES = 256 * 1024;

/** A snapshot's JSON as UTF-8 pieces of about PIECE_BYTES, made as they are sent (each send is a turn for the requests). */
async function* snapshotPieces(head: string, image: MockImage): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [Buffer.from(head)];
  let size = parts[0]?.length ?? 0;
  for (const chunk of imageJsonChunks(image)) {
    const bytes = Buffer.from(chunk);
    parts.push(bytes);
    size += bytes.length;
    if (size >= PIECE_BYTES) {
      yield Buffer.concat(parts);
      parts = [];
      size = 0;
    }
  }
  parts.push(Buffer.from("}"));
  yield Buffer.concat(parts);
}

/** Thrown by `start` when Redis cannot be reached: the mock does not start. */
export class RedisUnreachableError extends Error {
  override name = "RedisUnreachableError";
}

/** `promise`, or the error `timedOut` makes when it has not settled in `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
