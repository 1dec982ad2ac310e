/**
 * The mock's webhooks: the store tells each change (store/events.ts), and each subscription that wants
 * the event gets it POSTed, as the spec's `webhooks` describe it, through a bounded queue (dispatcher.ts).
 * Publishing never throws and never waits, so the request that caused the change answers as if there were
 * no webhooks at all.
 */
import type { components } from "../../generated/admin-types.ts";
import type { Scheduler } from "../scheduler.ts";
import { type StoreChange, stampChange } from "../store/events.ts";
import { DeliveryLog } from "./delivery-log.ts";
import { Dispatcher } from "./dispatcher.ts";
import { Subscriptions } from "./subscriptions.ts";
import { type WebhookOptions, webhookOptions } from "./webhook-options.ts";

type Deliveries = components["schemas"]["WebhookDeliveries"];

/** What the webhooks take from the mock around them. */
export interface WebhookContext {
  /** The mock's clock (the store's), read for each event's `ts`. */
  now?: () => string;
  /** The timers and clock of deliveries: the start on a later turn, timeouts, backoff, latencies. */
  scheduler?: Scheduler;
  /** Where a bug in publishing is reported (it never reaches the request). */
  onError?: (error: unknown) => void;
  /** The ids of new subscriptions (random by default). */
  newId?: () => string;
}

export class Webhooks {
  readonly options: WebhookOptions;
  readonly subscriptions: Subscriptions;
  readonly log: DeliveryLog;
  private readonly dispatcher: Dispatcher;
  private readonly now: () => string;
  private readonly onError: (error: unknown) => void;

  constructor(partial: Partial<WebhookOptions> = {}, context: WebhookContext = {}) {
    this.now = context.now ?? (() => new Date().toISOString());
    this.onError = context.onError ?? (() => undefined);
    this.options = webhookOptions(partial);
    this.subscriptions = new Subscriptions(context.newId);
    this.log = new DeliveryLog(this.options.logCapacity);
    this.dispatcher = new Dispatcher(this.options, this.log, (id) => this.subscriptions.has(id), context.scheduler);
    for (const endpoint of this.options.endpoints) this.subscriptions.add(endpoint.url, endpoint.events);
  }

  /** Queues the change's event for every subscription that wants it. */
  publish(change: StoreChange): void {
    try {
      const { event } = change.event;
      const targets = this.subscriptions.matching(event);
      if (targets.length === 0) return;
      // Told right after the change, on the same turn: now is when it happened.
      const payload = stampChange(change, this.now());
      // Serialised now, so later changes cannot alter what is sent.
      const body = JSON.stringify(payload);
      const queuedAt = new Date().toISOString();
      for (const target of targets) {
        const entry = this.log.add({
          id: globalThis.crypto.randomUUID(),
          event,
          eventId: payload.id,
          webhook: target.id,
          url: target.url,
          attempts: 0,
          status: null,
          error: null,
          latencyMs: null,
          outcome: "pending",
          queuedAt,
          finishedAt: null,
        });
        this.dispatcher.enqueue({
          entry,
          webhook: target.id,
          url: target.url,
          body,
          lane: `${target.id} ${change.orderKey}`,
        });
      }
    } catch (error) {
      this.onError(error);
    }
  }

  deliveries(): Deliveries {
    return {
      data: this.log.list(),
      capacity: this.log.capacity,
      queued: this.dispatcher.queued,
      queueCapacity: this.options.queueCapacity,
      ...this.log.totals(),
    };
  }

  /** Resolves once no POST is under way; what is left waits for the scheduler (see Dispatcher.settled). */
  settled(): Promise<void> {
    return this.dispatcher.settled();
  }

  /** Resolves once every delivery queued so far has ended: delivered, failed or cancelled. */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
