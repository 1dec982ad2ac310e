/** The endpoints subscribed to the mock's webhooks, in the order they were added. Not part of the state. */
import type { components } from "../../generated/admin-types.ts";
import { checkPatterns, matches } from "./filters.ts";

export type Subscription = components["schemas"]["Webhook"];

export class Subscriptions {
  private readonly items = new Map<string, Subscription>();

  /** `newId` makes each new subscription's id (replicas pass their changes' ids, so all agree). */
  constructor(private readonly newId: () => string = () => globalThis.crypto.randomUUID()) {}

  /** Adds an endpoint; throws an InvalidInputError when a pattern matches no event. */
  add(url: string, events: readonly string[] = ["*"]): Subscription {
    checkPatterns(events);
    const subscription = { id: this.newId(), url, events: [...events] };
    this.items.set(subscription.id, subscription);
    return subscription;
  }

  list(): Subscription[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  remove(id: string): boolean {
    return this.items.delete(id);
  }

  /** Removes every subscription, or those of one URL; returns how many went. */
  removeAll(url?: string): number {
    let removed = 0;
    for (const [id, subscription] of this.items) {
      if (url === undefined || subscription.url === url) removed += Number(this.items.delete(id));
    }
    return removed;
  }

  /** Replaces every subscription with these, ids kept (a replica loading the shared state). */
  replaceAll(subscriptions: readonly Subscription[]): void {
    this.items.clear();
    for (const subscription of subscriptions) this.items.set(subscription.id, { ...subscription });
  }

  /** The subscriptions that want an event. */
  matching(event: string): Subscription[] {
    return this.list().filter((s) => s.events.some((pattern) => matches(pattern, event)));
  }
}
