/**
 * `createInProcessMock(options)`: the mock without a socket, for the in-process transports (the fetch
 * adapter, the MSW handlers). The engine; the store's changes kept as the webhook bodies the spec describes
 * (`events`) and told to `onEvent`; and the webhook sender subscribed to the store, as the server's core
 * (mock-core.ts) subscribes it, so endpoints subscribed through `/__admin/webhooks` get their POSTs too
 * (through the global fetch). Wiring only, and no Node API: it runs in a browser too.
 */
import type { WebhookPayload } from "../lib/webhooks.ts";
import { createEventLog, type EventLog } from "./engine/events.ts";
import { createEngine, type Engine, type EngineOptions } from "./engine/index.ts";
import { acceptedKeys, type JournalFile, journalFile } from "./engine/journal-file.ts";
import type { Store } from "./store/store.ts";

export type { Engine, EngineOptions } from "./engine/index.ts";
export type { JournalFile } from "./engine/journal-file.ts";

export interface InProcessOptions extends EngineOptions {
  /** Told each webhook event (`{event, id, ts, data}`) as the change is made, before its request is answered. */
  onEvent?: (event: WebhookPayload) => void;
  /** How many of the latest events `events.list()` keeps (default 1000; 0 keeps none). */
  eventCapacity?: number;
}

export interface InProcessMock {
  engine: Engine;
  /** The engine's store: the data and the rules, to set up or read state directly. */
  store: Store;
  /** The first accepted API key: `mock-api-key` unless `apiKeys` says otherwise. */
  apiKey: string;
  /** The webhook events the store told, oldest first. */
  events: Pick<EventLog, "list" | "clear">;
  /**
   * The public API requests answered so far, with their bodies, as the file `converseiq-contract --replay`
   * takes (`GET /__admin/journal`): `JSON.stringify` it to save it. It holds no API key.
   */
  journal(): JournalFile;
  /**
   * Stops the events and any webhook sending (endpoints given in `webhooks`, or subscribed through
   * `/__admin/webhooks`), waiting for deliveries under way.
   */
  close(): Promise<void>;
}

export function createInProcessMock(options: InProcessOptions = {}): InProcessMock {
  const { onEvent, eventCapacity, ...engineOptions } = options;
  const engine = createEngine(engineOptions);
  const { store, webhooks } = engine;
  const { now, apiKeys } = engine.options;
  const events = createEventLog(store, {
    ...(now ? { now } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(eventCapacity !== undefined ? { capacity: eventCapacity } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const stopSending = store.onChange(
    (change) => webhooks.publish(change),
    () => webhooks.subscriptions.size > 0,
  );
  return {
    engine,
    store,
    apiKey: apiKeys[0] as string,
    events: { list: () => events.list(), clear: () => events.clear() },
    journal: () => journalFile(engine.journal, acceptedKeys(engine)),
    close: async () => {
      events.close();
      stopSending();
      await webhooks.close();
    },
  };
}
