/**
 * Helpers of the webhook tests: a real receiver (node:http on 127.0.0.1, port 0: the system picks a free
 * one) that records every POST and answers as a test tells it (a status, a hang, a reset connection); a mock
 * that sends to it with fast retries, on the scheduler a test gives it; `deliverAll`, which runs a mock's
 * deliveries to their end on a manual scheduler; and `adminCall`, which injects an admin request and fails
 * the test unless the answer conforms to the admin spec.
 *
 * Nothing here sleeps: a test waits for an event (a POST arriving, the deliveries settling), with a generous
 * limit that only a broken mock reaches.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { adminSpec, listOperations } from "../../lib/spec.ts";
import type { WebhookEventName, WebhookPayload } from "../../lib/webhooks.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import type { ManualScheduler, Scheduler } from "../scheduler.ts";
import type { WebhookOptions } from "../webhooks/webhook-options.ts";
import { API_KEY } from "./helpers.ts";
import { SMALL_SEED, sequentialIds, steppingClock } from "./store-fixtures.ts";

export interface Received {
  body: WebhookPayload;
  text: string;
  headers: IncomingHttpHeaders;
  /** When the body had arrived, by the receiver's clock (`performance.now()` unless a test gives another). */
  at: number;
}

/** How to answer: a status code, never (`hang`), or by closing the connection unanswered (`reset`). */
export type Reply = number | "hang" | "reset";

export interface Receiver {
  url: string;
  /** Every POST, failed attempts included, in the order they arrived. */
  received: Received[];
  /** The answer to the n-th POST (from 1) and its body; 200 unless a test sets it. */
  reply: (n: number, body: WebhookPayload) => Reply;
  /** Waits until `count` POSTs have arrived (or fails, saying what did). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Waits for the first POST of an event. */
  waitForEvent(event: WebhookEventName, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

/** How long a test waits for POSTs that should come: far beyond what a working mock needs, even on a busy machine. */
const WAIT_MS = 10_000;

export async function startReceiver(
  reply: Receiver["reply"] = () => 200,
  clock: () => number = () => performance.now(),
): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  /** Checks of the tests waiting for POSTs, run at each arrival. */
  const waiting = new Set<() => void>();
  const server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      const body = JSON.parse(text) as WebhookPayload;
      received.push({ body, text, headers: request.headers, at: clock() });
      const answer = receiver.reply(received.length, body);
      if (answer === "hang") hanging.add(response);
      else if (answer === "reset") request.socket.destroy();
      else response.writeHead(answer).end();
      for (const check of waiting) check();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  /** Resolves at the arrival that makes `found` say something (or at once), or fails after `timeoutMs`. */
  const until = <T>(found: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        stop();
        resolve(value);
      };
      const timer = setTimeout(() => {
        stop();
        const got = received.map((r) => r.body.event).join(", ") || "nothing";
        reject(new Error(`waited ${timeoutMs} ms for ${what}; the receiver got: ${got}`));
      }, timeoutMs);
      const stop = () => {
        clearTimeout(timer);
        waiting.delete(check);
      };
      waiting.add(check);
      check();
    });

  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    reply,
    waitFor: (count, timeoutMs = WAIT_MS) =>
      until(() => (received.length >= count ? received.slice() : undefined), `${count} POSTs`, timeoutMs),
    waitForEvent: (event, timeoutMs = WAIT_MS) =>
      until(() => received.find((r) => r.body.event === event), `a ${event} event`, timeoutMs),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

/** Retries every 10 ms (then 20, 40, ...), a 1 s timeout: the delivery policy, made fast for tests. */
export const FAST: Partial<WebhookOptions> = { backoffMs: 10, timeoutMs: 1000, attempts: 5 };

/**
 * A mock with small seeded data, a fixed clock and sequential ids, sending every event (or `events`) to
 * `url`; its deliveries wait on `scheduler` (the real timers unless a test gives a manual one).
 */
export function mockSendingTo(
  url: string | string[],
  options: Partial<WebhookOptions> & { events?: string[] } = {},
  scheduler?: Scheduler,
): Promise<MockServer> {
  const { events = ["*"], ...policy } = options;
  const urls = Array.isArray(url) ? url : [url];
  return buildMockServer({
    apiKeys: [API_KEY],
    seed: SMALL_SEED,
    now: steppingClock(),
    newId: sequentialIds(),
    webhooks: { ...FAST, ...policy, endpoints: urls.map((u) => ({ url: u, events })) },
    ...(scheduler ? { scheduler } : {}),
  });
}

/**
 * Runs a mock's deliveries to their end on a manual scheduler: waits for the POSTs under way to be answered,
 * then moves time to the next wait (the start of queued deliveries, a retry's backoff), until none is left.
 * Not for a receiver that hangs: only a timeout would end its POST, and time moves only between POSTs here.
 */
export async function deliverAll(app: MockServer, scheduler: ManualScheduler): Promise<void> {
  do await app.webhooks.settled();
  while (scheduler.next());
  await app.webhooks.idle();
}

const adminOperations = listOperations(adminSpec).map((op) => ({
  op,
  pattern: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  params: (op.path.match(/\{/g) ?? []).length,
}));
// A literal segment wins over a parameter (`/webhooks/deliveries` over `/webhooks/{webhookId}`).
adminOperations.sort((a, b) => a.params - b.params);
const validateAdmin = createResponseValidator("strict", adminSpec);

export interface AdminAnswer<T> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
}

/** A request to the admin API whose answer must conform to the admin spec (strict). */
export async function adminCall<T = unknown>(
  app: MockServer,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  body?: unknown,
): Promise<AdminAnswer<T>> {
  const path = url.split("?")[0] ?? "";
  const found = adminOperations.find((o) => o.op.method === method.toLowerCase() && o.pattern.test(path));
  if (!found) throw new Error(`the admin spec has no ${method} ${path}`);
  // A write is sent as JSON even with no body, as a client that is no web page sends it (http-guard.ts).
  const headers: Record<string, string> = method === "GET" ? {} : { "content-type": "application/json" };
  const response = await app.inject({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const verdict = validateAdmin(found.op, {
    status: response.statusCode,
    contentType: response.headers["content-type"] as string | undefined,
    headers: response.headers as Record<string, string>,
    text: response.body,
  });
  expect(verdict.problems, `${method} ${url} answered ${response.statusCode}: ${response.body}`).toEqual([]);
  return { status: response.statusCode, headers: response.headers, body: verdict.body as T };
}
