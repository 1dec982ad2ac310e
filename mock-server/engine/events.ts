/**
 * The webhook events in process: what the store tells after each change, stamped and kept, for a mock
 * that has no HTTP receiver to POST to (the fetch and MSW adapters). Each event is the body the spec's
 * webhook describes, `{event, id, ts, data}`, stamped as the webhook sender stamps it (`stampChange`).
 *
 * It listens on the store itself, which stays the same object through a reset or an import
 * (`Store.replace` swaps the state, not the store), so events keep coming after either.
 */
import type { WebhookPayload } from "../../lib/webhooks.ts";
import { stampChange } from "../store/events.ts";
import type { Store } from "../store/store.ts";

/** The events' default capacity: the latest 1000, as many as the request journal keeps. */
export const DEFAULT_EVENT_CAPACITY = 1000;

export interface EventLogOptions {
  /** The mock's clock, as ISO text (the store's), read for each event's `ts`. Default: the wall clock. */
  now?: () => string;
  /**
   * Called with each event, in order, as soon as the change is made: before the request that made it is
   * answered, so a test that awaited the request finds its events already told.
   */
  onEvent?: (event: WebhookPayload) => void;
  /** How many of the latest events `list()` keeps (0: none, only `onEvent`). Default 1000. */
  capacity?: number;
  /**
   * Where an `onEvent` that throws is reported; the change it was told of stands. Default: thrown again
   * on a later microtask, so it shows as an uncaught error, as a browser shows a throwing event listener's.
   */
  onError?: (error: unknown) => void;
}

export interface EventLog {
  /** The latest events, oldest first, as new objects on each call (changing them changes nothing). */
  list(): WebhookPayload[];
  clear(): void;
  /** Stops listening to the store. */
  close(): void;
  readonly capacity: number;
}

const wallClock = () => new Date().toISOString();
const rethrowLater = (error: unknown) =>
  queueMicrotask(() => {
    throw error;
  });

export function createEventLog(store: Store, options: EventLogOptions = {}): EventLog {
  const capacity = options.capacity ?? DEFAULT_EVENT_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError("event capacity must be 0 or more");
  const now = options.now ?? wallClock;
  const onEvent = options.onEvent;
  const onError = options.onError ?? rethrowLater;
  // Kept as the JSON a receiver would get: nothing shared with the store's records, and each reader gets
  // objects of its own.
  let kept: string[] = [];

  const stop = store.onChange(
    (change) => {
      const body = JSON.stringify(stampChange(change, now()));
      if (capacity > 0) {
        kept.push(body);
        if (kept.length > capacity) kept.shift();
      }
      if (!onEvent) return;
      try {
        onEvent(JSON.parse(body) as WebhookPayload);
      } catch (error) {
        // The store must not see it: its change is made, and the request that made it still gets its answer.
        onError(error);
      }
    },
    // Nobody to tell: the store spares building the changes.
    () => capacity > 0 || onEvent !== undefined,
  );

  return {
    list: () => kept.map((body) => JSON.parse(body) as WebhookPayload),
    clear: () => {
      kept = [];
    },
    close: stop,
    capacity,
  };
}
