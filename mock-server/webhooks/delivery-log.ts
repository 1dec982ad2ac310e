/**
 * The log of deliveries behind `GET /__admin/webhooks/deliveries`: a ring of the most recent ones, whose
 * entries the dispatcher updates in place as attempts are made, and the counts of outcomes since the log
 * was last cleared (so what was dropped is counted even once its entry has left the ring).
 */
import type { components } from "../../generated/admin-types.ts";

export type Delivery = components["schemas"]["WebhookDelivery"];
export type Outcome = Delivery["outcome"];
type Counts = Pick<components["schemas"]["WebhookDeliveries"], "delivered" | "failed" | "dropped">;

export class DeliveryLog {
  private ring: (Delivery | undefined)[];
  private next = 0;
  private counts: Counts = { delivered: 0, failed: 0, dropped: 0 };

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  /** Adds a delivery (pending); the oldest entry leaves when the ring is full. */
  add(entry: Delivery): Delivery {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    return entry;
  }

  /** Ends a delivery with its outcome, and counts it. */
  finish(entry: Delivery, outcome: Exclude<Outcome, "pending">): void {
    entry.outcome = outcome;
    entry.finishedAt = new Date().toISOString();
    if (outcome !== "cancelled") this.counts[outcome]++;
  }

  /** Oldest first. */
  list(): Delivery[] {
    const older = this.ring.slice(this.next);
    const newer = this.ring.slice(0, this.next);
    return [...older, ...newer].filter((e): e is Delivery => e !== undefined);
  }

  totals(): Counts {
    return { ...this.counts };
  }

  clear(): void {
    this.ring = new Array(this.capacity);
    this.next = 0;
    this.counts = { delivered: 0, failed: 0, dropped: 0 };
  }
}
