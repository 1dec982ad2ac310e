/**
 * `createInProcessMock(options)`: the mock without a socket, for the in-process transports (the fetch
 * adapter, the MSW handlers). The engine (which keeps the store's changes as the webhook bodies the spec
 * describes, and tells them to `onEvent`); and the webhook sender subscribed to the store, as the server's core
 * (mock-core.ts) subscribes it, so endpoints subscribed through `/__admin/webhooks` get their POSTs too
 * (through the global fetch). Wiring only, and no Node API: it runs in a browser too.
 */
import type { WebhookPayload } from "../lib/webhooks.ts";
import { createEngine, type Engine, type EngineOptions } from "./engine/index.ts";
import type { Store } from "./store/store.ts";

export type { Engine, EngineOptions } from "./engine/index.ts";
export type { JournalFile } from "./engine/journal-file.ts";

export interface InProcessOptions extends EngineOptions {
  /** Told each webhook event (`{event, id, ts, data}`) as the change is made, before its request is answered. */
  onEvent?: (event: WebhookPayload) => void;
  /** How many of the latest events `events()` keeps (default 1000; 0 keeps none). */
  eventCapacity?: number;
}

export interface InProcessMock {
  engine: Engine;
  /** The engine's store: the data and the rules, to set up or read state directly. */
  store: Store;
  /** The first accepted API key: `mock-api-key` unless `apiKeys` says otherwise. */
  apiKey: string;
  /**
   * Stops the events and any webhook sending (endpoints given in `webhooks`, or subscribed through
   * `/__admin/webhooks`), waiting for deliveries under way.
   */
  close(): Promise<void>;
}

export function createInProcessMock(options: InProcessOptions = {}): InProcessMock {
  const engine = createEngine(options);
  const { store, webhooks } = engine;
  const { apiKeys } = engine.options;
  const stopSending = store.onChange(
    (change) => webhooks.publish(change),
    () => webhooks.subscriptions.size > 0,
  );
  return {
    engine,
    store,
    apiKey: apiKeys[0] as string,
    close: async () => {
      engine.close();
      stopSending();
      await webhooks.close();
    },
  };
}
