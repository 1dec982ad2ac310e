/**
 * The fuzz run (`npm run fuzz`, scripts/fuzz.ts): the mock started in this process on port 0, and requests
 * made from the specs (wire-requests.ts) sent to it over HTTP one at a time. Two rules, checked on every
 * answer: no 5xx (nor a request left unanswered), and a rejected request (any 4xx) leaves the state as it was.
 * The state is compared by a digest of the store's snapshot (the state `GET /__admin/state` exports), taken
 * after every request, so the one before a request is the one after the request before it.
 *
 * Seeded and replayable: the requests are drawn in chunks, chunk N from the seed + N, so the same seed gives
 * the same requests. Bounded by a count and a time limit.
 */
import { createHash } from "node:crypto";
import { Agent, createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { buildMockServer, type MockServer } from "../../mock-server/app.ts";
import type { WireRequest } from "./wire-requests.ts";
import { wireRequestArbitrary } from "./wire-requests.ts";

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** The run stops here even if fewer than `runs` were sent (then it fails: the count was not reached). */
  timeLimitMs: number;
  /** How long one request may go unanswered before the run fails. */
  requestTimeoutMs?: number;
}

export interface FuzzFailure {
  /** Its place in the run, from 1. */
  index: number;
  request: WireRequest;
  rule: string;
  status?: number;
  /** The start of the answer's body. */
  answer?: string;
}

export interface FuzzResult {
  seed: number;
  runs: number;
  sent: number;
  /** Answers by status class: `2xx`, `3xx`, `4xx`, `5xx`. */
  byClass: Record<string, number>;
  /** Answers by status. */
  byStatus: Record<string, number>;
  /** Requests Node's own client would not send (a header it will not write): not counted as answered. */
  notSent: number;
  /** Requests answered 4xx, each checked to have changed nothing. */
  rejected: number;
  /** Rejected requests after which the state was compared. */
  compared: number;
  ms: number;
  timedOut: boolean;
  failure?: FuzzFailure;
}

const CHUNK = 250;

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { runs, seed, timeLimitMs, requestTimeoutMs = 15_000 } = options;
  const mock = await buildMockServer({ logger: false });
  const sink = await startSink();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const started = performance.now();
  const result: FuzzResult = {
    seed,
    runs,
    sent: 0,
    byClass: {},
    byStatus: {},
    rejected: 0,
    notSent: 0,
    compared: 0,
    ms: 0,
    timedOut: false,
  };
  try {
    const origin = new URL(await mock.listen({ port: 0 }));
    const arbitrary = wireRequestArbitrary({
      apiKey: mock.mockOptions.apiKeys[0] as string,
      webhookUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`,
      pools: poolsOf(mock),
    });
    let before = digest(mock);
    for (let chunk = 0; result.sent < runs && !result.failure; chunk++) {
      const requests = fc.sample(arbitrary, { numRuns: Math.min(CHUNK, runs - result.sent), seed: seed + chunk });
      for (const request of requests) {
        if (performance.now() - started > timeLimitMs) {
          result.timedOut = true;
          break;
        }
        const index = ++result.sent;
        const answer = await send(origin, agent, request, requestTimeoutMs);
        if ("notSent" in answer) {
          result.notSent++;
          continue;
        }
        if ("error" in answer) {
          result.failure = { index, request, rule: `no answer (${answer.error})` };
          break;
        }
        const { status, body } = answer;
        const kind = `${Math.floor(status / 100)}xx`;
        result.byClass[kind] = (result.byClass[kind] ?? 0) + 1;
        result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
        const after = digest(mock);
        if (status >= 500) {
          result.failure = { index, request, rule: "a 5xx answer", status, answer: body.slice(0, 500) };
          break;
        }
        if (status >= 400) {
          result.rejected++;
          result.compared++;
          if (after !== before) {
            result.failure = {
              index,
              request,
              rule: "a rejected request changed the state",
              status,
              answer: body.slice(0, 500),
            };
            break;
          }
        }
        before = after;
      }
      if (result.timedOut) break;
    }
  } finally {
    result.ms = performance.now() - started;
    agent.destroy();
    await mock.close();
    await new Promise((resolve) => sink.close(resolve));
  }
  return result;
}

/** The state as `GET /__admin/state` exports it, hashed: equal digests, equal states. */
function digest(mock: MockServer): string {
  return createHash("sha1").update(JSON.stringify(mock.store.snapshot())).digest("hex");
}

/** Ids that exist at the start, by the names of the parameters and properties that hold them. */
function poolsOf(mock: MockServer): Record<string, string[]> {
  const state = mock.store.snapshot();
  const contacts = state.contacts.map((c) => c.guid);
  const chats = state.chats.map((c) => c.guid);
  const team = state.team.map((m) => m.guid);
  return {
    contactId: contacts,
    contact: contacts,
    email: state.contacts.flatMap((c) => (c.email ? [c.email] : [])),
    chatId: chats,
    messageId: state.messages.map((m) => m.guid),
    memberId: team,
    agent: team,
    bot: state.bots.map((b) => b.guid),
    channel: state.channels.map((c) => c.guid),
  };
}

type Answer = { status: number; body: string } | { error: string } | { notSent: string };

function send(origin: URL, agent: Agent, request: WireRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = httpRequest({
        agent,
        host: origin.hostname,
        port: origin.port,
        method: request.method,
        path: request.url,
        // Node frames a GET's, DELETE's or OPTIONS' body by neither length nor chunks unless told: the
        // length is always given, so that a body is never read as the start of the next request.
        headers:
          request.body === undefined
            ? request.headers
            : { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
      });
    } catch (error) {
      // Node's client refused to send it (a header it will not write): no request, nothing to judge.
      resolve({ notSent: (error as Error).message });
      return;
    }
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on("error", (error) => resolve({ error: error.message }));
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", (error) => resolve({ error: error.message }));
    });
    outgoing.end(request.body);
  });
}

/** Where the webhooks the run subscribes are delivered: answers 204 to all. */
async function startSink(): Promise<Server> {
  const sink = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  return sink;
}

/** The figures of a run, one per line, and the first failing request when a rule broke. */
export function describeFuzz(result: FuzzResult): string[] {
  const classes = ["2xx", "3xx", "4xx", "5xx"].map((k) => `${k} ${result.byClass[k] ?? 0}`).join(", ");
  const statuses = Object.entries(result.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(", ");
  const lines = [
    `seed: ${result.seed} (FUZZ_SEED=${result.seed} replays it)`,
    `requests: ${result.sent} of ${result.runs} in ${(result.ms / 1000).toFixed(1)} s (${Math.round((result.sent / result.ms) * 1000)}/s)`,
    `by class: ${classes}`,
    `by status: ${statuses}`,
    `rejected (4xx), each leaving the state as it was: ${result.rejected}`,
  ];
  if (result.notSent > 0) lines.push(`not sent (refused by Node's client): ${result.notSent}`);
  if (result.timedOut) lines.push(`FAILED: the time limit came after ${result.sent} of ${result.runs} requests`);
  const failure = result.failure;
  if (failure) {
    const { index, request, rule, status, answer } = failure;
    lines.push(
      `FAILED at request ${index}: ${rule}${status === undefined ? "" : ` (${status})`}`,
      `  ${request.method} ${request.url}  [${request.label}]`,
      `  headers: ${JSON.stringify(request.headers).slice(0, 300)}`,
      ...(request.body === undefined ? [] : [`  body: ${request.body.slice(0, 300)}`]),
      ...(answer === undefined ? [] : [`  answer: ${answer}`]),
    );
  }
  return lines;
}
