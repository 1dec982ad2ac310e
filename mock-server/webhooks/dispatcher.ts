/**
 * Sends queued deliveries: a JSON POST each, with a timeout, retried with exponential backoff after a
 * failure or a non-2xx answer, up to a bounded number of attempts.
 *
 * Order is kept per lane (one endpoint and one object): a lane sends its deliveries one at a time, and the
 * next waits while the one before is retried. Lanes run side by side, at most `concurrency` POSTs at once.
 * The queue is bounded: beyond `queueCapacity` unfinished deliveries a new one is dropped, logged and
 * counted. `enqueue` only queues (sending starts on a later turn of the event loop), so the request that
 * caused the event never waits for a receiver. `close` stops the timers, aborts the POSTs under way and
 * cancels what is left.
 *
 * Every wait (that later turn, each POST's timeout, the backoff) is a timer of the scheduler it is given,
 * and latencies are read from its clock, so a test with a manual scheduler decides when each happens;
 * `settled()` and `idle()` tell it when the network part is done.
 */
import { realScheduler, type Scheduler, type TimerHandle } from "../scheduler.ts";
import type { Delivery, DeliveryLog } from "./delivery-log.ts";
import type { WebhookOptions } from "./webhook-options.ts";

export interface Job {
  entry: Delivery;
  /** The subscription it goes to: when it is removed, the job is cancelled. */
  webhook: string;
  url: string;
  /** The JSON body, the same at every attempt. */
  body: string;
  /** Jobs of the same lane are sent in order. */
  lane: string;
}

type Policy = Pick<
  WebhookOptions,
  "timeoutMs" | "attempts" | "backoffMs" | "maxBackoffMs" | "queueCapacity" | "concurrency"
>;

const USER_AGENT = "converseiq-kit-mock (webhooks)";

export class Dispatcher {
  private readonly lanes = new Map<string, Job[]>();
  /** Lanes whose first job may start now, oldest first. */
  private readonly ready: string[] = [];
  /** Retries waiting for their backoff. */
  private readonly timers = new Set<TimerHandle>();
  private readonly running = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  /** The later turn on which queued jobs start. */
  private turn: TimerHandle | undefined;
  private unfinished = 0;
  private active = 0;
  private closed = false;
  /** Callers of `settled` and `idle`, each with what it waits for. */
  private waiters: { until: () => boolean; resolve: () => void }[] = [];

  constructor(
    private readonly policy: Policy,
    private readonly log: DeliveryLog,
    private readonly subscribed: (webhook: string) => boolean,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  /** Deliveries queued, under way or waiting to retry. */
  get queued(): number {
    return this.unfinished;
  }

  /** Queues a job, or drops it (logged and counted) when the queue is full. Never throws, never waits. */
  enqueue(job: Job): void {
    if (this.closed) {
      this.log.finish(job.entry, "cancelled");
      return;
    }
    if (this.unfinished >= this.policy.queueCapacity) {
      job.entry.error = `dropped: ${this.policy.queueCapacity} deliveries were already queued`;
      this.log.finish(job.entry, "dropped");
      return;
    }
    this.unfinished++;
    const lane = this.lanes.get(job.lane);
    if (lane) {
      lane.push(job);
      return;
    }
    this.lanes.set(job.lane, [job]);
    this.ready.push(job.lane);
    this.schedule();
  }

  /**
   * Resolves once no POST is under way. What is left, if anything, waits for the scheduler: the turn on
   * which queued deliveries start, or a retry's backoff.
   */
  settled(): Promise<void> {
    return this.when(() => this.running.size === 0);
  }

  /** Resolves once every delivery queued so far has ended (delivered, failed or cancelled). */
  idle(): Promise<void> {
    return this.when(() => this.unfinished === 0);
  }

  /** Stops: no new attempt starts, the POSTs under way are aborted, what was not delivered is cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.clearTimeout(this.turn);
    this.turn = undefined;
    for (const timer of this.timers) this.scheduler.clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    await Promise.allSettled([...this.running]);
    for (const lane of this.lanes.values()) for (const job of lane) this.log.finish(job.entry, "cancelled");
    this.lanes.clear();
    this.ready.length = 0;
    this.unfinished = 0;
    this.wake();
  }

  private when(until: () => boolean): Promise<void> {
    if (until()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ until, resolve }));
  }

  /** Resolves the waiters whose condition now holds. */
  private wake(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.until()) return true;
      waiter.resolve();
      return false;
    });
  }

  private schedule(): void {
    if (this.turn === undefined && !this.closed) {
      this.turn = this.scheduler.setTimeout(() => {
        this.turn = undefined;
        return this.pump();
      }, 0);
    }
  }

  /**
   * Starts what may start now; resolves once those attempts have been answered and settled (the mock's
   * clock awaits it, so that advancing it runs through a delivery's retries).
   */
  private pump(): Promise<void> {
    const started: Promise<void>[] = [];
    while (!this.closed && this.active < this.policy.concurrency && this.ready.length > 0) {
      const lane = this.ready.shift() as string;
      const job = this.lanes.get(lane)?.[0];
      if (!job) continue;
      if (!this.subscribed(job.webhook)) {
        this.finish(job, "cancelled");
        continue;
      }
      this.active++;
      const run = this.attempt(job).then((ok) => {
        this.active--;
        this.settle(job, ok);
      });
      this.running.add(run);
      started.push(run);
      // After `settle`: a retry's timer is set, or the lane's next job has started, before waiters look.
      void run.finally(() => {
        this.running.delete(run);
        this.wake();
      });
    }
    return Promise.all(started).then(() => undefined);
  }

  /** After an attempt: done, given up, or retried after the backoff. */
  private settle(job: Job, ok: boolean): void {
    if (this.closed) return;
    if (ok) this.finish(job, "delivered");
    else if (!this.subscribed(job.webhook)) this.finish(job, "cancelled");
    else if (job.entry.attempts >= this.policy.attempts) this.finish(job, "failed");
    else {
      const wait = Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** (job.entry.attempts - 1));
      const timer = this.scheduler.setTimeout(() => {
        this.timers.delete(timer);
        this.ready.push(job.lane);
        return this.pump();
      }, wait);
      this.timers.add(timer);
    }
    void this.pump();
  }

  /** Ends the first job of its lane; the lane's next job may start. */
  private finish(job: Job, outcome: "delivered" | "failed" | "cancelled"): void {
    this.log.finish(job.entry, outcome);
    this.unfinished--;
    const lane = this.lanes.get(job.lane);
    lane?.shift();
    if (lane && lane.length > 0) this.ready.push(job.lane);
    else this.lanes.delete(job.lane);
    this.wake();
  }

  /** One POST; true for a 2xx. Records the attempt (status or error, latency) on the job's log entry. */
  private async attempt(job: Job): Promise<boolean> {
    const { entry } = job;
    const controller = new AbortController();
    this.controllers.add(controller);
    let timedOut = false;
    const timeout = this.scheduler.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.policy.timeoutMs);
    const started = this.scheduler.now();
    entry.attempts++;
    try {
      const response = await fetch(job.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": USER_AGENT },
        body: job.body,
        signal: controller.signal,
        // A redirect is an answer that is not a 2xx, as for the platform's receivers: not followed.
        redirect: "manual",
      });
      // Only the status counts; the body is not read.
      await response.body?.cancel().catch(() => undefined);
      entry.status = response.status;
      entry.error = response.ok ? null : `answered ${response.status}, not a 2xx`;
      return response.ok;
    } catch (error) {
      entry.status = null;
      entry.error = timedOut ? `no answer within ${this.policy.timeoutMs} ms` : describe(error);
      return false;
    } finally {
      this.scheduler.clearTimeout(timeout);
      entry.latencyMs = Math.round((this.scheduler.now() - started) * 10) / 10;
      this.controllers.delete(controller);
    }
  }
}

/** Why a POST got no answer, in a few words (a timeout is told apart before this). */
function describe(error: unknown): string {
  if (error instanceof Error && error.name === "AbortError") return "cancelled: the mock is closing";
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}: ${cause.message ?? "connection failed"}`;
  return error instanceof Error ? error.message : String(error);
}
