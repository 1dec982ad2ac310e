/** Everything the mock can be told at start, with its defaults. The CLI and tests both build these. */
import { API_BASE_PATH, MAX_BODY_BYTES } from "../generated/rules.ts";
import { type BehaviourOptions, checkBehaviourOptions } from "./behaviour/behaviour-options.ts";
import type { ScenarioFile } from "./engine/scenarios.ts";
import { type RedisOptions, redisDefaults } from "./replication/redis-options.ts";
import type { Scheduler } from "./scheduler.ts";
import { DEFAULT_SEED, type SeedSizes } from "./store/seed.ts";
import type { WebhookOptions } from "./webhooks/webhook-options.ts";

/** The behaviour switches (latency, errorRate, rateLimit, cors, random, clock) are in behaviour/behaviour-options.ts. */
export interface MockOptions extends BehaviourOptions {
  /** API keys accepted in `x-api-key`. */
  apiKeys: string[];
  /** Seed and sizes of the seeded data. */
  seed: SeedSizes;
  /** Log one line per request (Fastify's logger, pino; transports/request-log.ts). */
  logger: boolean;
  /** How the request log is written (`--log-format`): a human line (`pretty`, the default) or pino's JSON lines. */
  logFormat?: "pretty" | "json";
  /** Clock and id source of new objects; tests fix them. */
  now?: () => string;
  newId?: () => string;
  /**
   * Timers and clock of everything that waits: state-file writes, webhook deliveries and retries, rate-limit
   * windows, `Prefer: delay`, latency. The runtime's own by default; tests pass a `ManualScheduler`.
   */
  scheduler?: Scheduler;
  /** When set, `/__admin` answers only requests whose `x-admin-token` header holds it. */
  adminToken?: string;
  /**
   * Over HTTP, the host names answered beside `localhost` and IP addresses (`--allowed-hosts`; `.example.com`
   * for a name and its subdomains), or `"all"` for any Host: another Host gets 403 (DNS rebinding; see
   * engine/stages/http-guard.ts). Not read by the in-process transports.
   */
  allowedHosts?: string[] | "all";
  /**
   * Over HTTP, the web origins that may call `/__admin` (`--admin-cors`): its CORS headers and its writes
   * are theirs (and the mock's own origin's) only. Not read by the in-process transports.
   */
  adminCors?: string[];
  /** A JSON file the state is loaded from at start and written back to after changes (see state-file.ts). */
  stateFile?: string;
  /**
   * `--state-sync`: a request that changes the state is answered only once its change is in the log beside
   * the state file, flushed to disk (state-log.ts). Needs `stateFile`.
   */
  stateSync?: boolean;
  /** How many requests the journal (`GET /__admin/requests`) keeps; older ones are dropped. */
  journalCapacity: number;
  /** Endpoints subscribed at start (`--webhook`) and the delivery policy; see webhooks/webhook-options.ts. */
  webhooks?: Partial<WebhookOptions>;
  /**
   * How long (ms) a request body may stop arriving before it is answered 408 and its connection closed
   * (`--body-timeout`; see transports/bodies.ts).
   */
  bodyTimeoutMs: number;
  /**
   * How long (ms) a whole request body may take to arrive, however steadily it comes, before it is answered
   * 408 and its connection closed (`--body-total-timeout`; see transports/bodies.ts).
   */
  bodyTotalTimeoutMs: number;
  /** A scenario turned on at start (`--scenario NAME`; engine/scenarios.ts): the mock's own or one of `scenarios`. */
  scenario?: string;
  /** Scenarios of the user's, by name (`--scenarios FILE`, the admin spec's `ScenarioFile`). */
  scenarios?: ScenarioFile["scenarios"];
  /**
   * Share the state with other replicas through Redis (`--redis`; mock-server/replication/). Left out, the
   * state is this process's alone.
   */
  redis?: RedisOptions;
}

export const DEFAULT_API_KEY = "mock-api-key";
/** Where the public API lives on the mock, as on the live server: the path of the spec's `servers[0].url`. */
export const PUBLIC_PREFIX: string = API_BASE_PATH;
/** Where the mock's own admin API lives (not part of ConverseIQ's API). */
export const ADMIN_PREFIX = "/__admin";
export const DEFAULT_JOURNAL_CAPACITY = 1000;
/** The largest request body accepted (the spec's `x-max-body-bytes`); larger ones answer 413. */
export const BODY_LIMIT: number = MAX_BODY_BYTES;

/**
 * How long the mock waits for more of a body that has stopped arriving, by default (`--body-timeout`).
 * Here, with the other defaults, not beside the Node stream code that uses it: the engine and the browser
 * read these options too.
 */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** How long a whole body may take to arrive, by default (`--body-total-timeout`): a minute. */
export const DEFAULT_BODY_TOTAL_TIMEOUT_MS = 60_000;

export function withDefaults(options: Partial<MockOptions> = {}): MockOptions {
  return {
    apiKeys: options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_API_KEY],
    seed: { ...DEFAULT_SEED, ...options.seed },
    logger: options.logger ?? false,
    journalCapacity: options.journalCapacity ?? DEFAULT_JOURNAL_CAPACITY,
    bodyTimeoutMs: checkBodyTimeout(options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS),
    bodyTotalTimeoutMs: checkBodyTimeout(options.bodyTotalTimeoutMs ?? DEFAULT_BODY_TOTAL_TIMEOUT_MS),
    ...(options.logFormat !== undefined ? { logFormat: options.logFormat } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.adminCors !== undefined ? { adminCors: options.adminCors } : {}),
    ...(options.stateFile !== undefined ? { stateFile: options.stateFile } : {}),
    ...(options.stateSync ? { stateSync: true } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.webhooks !== undefined ? { webhooks: options.webhooks } : {}),
    ...(options.redis !== undefined ? { redis: redisDefaults(options.redis) } : {}),
    ...(options.scenario !== undefined ? { scenario: options.scenario } : {}),
    ...(options.scenarios !== undefined ? { scenarios: options.scenarios } : {}),
    ...checkBehaviourOptions(options),
  };
}

/** The most `--body-timeout` takes: an hour (a longer wait is no longer a timeout worth having). */
export const MAX_BODY_TIMEOUT_MS = 3_600_000;

function checkBodyTimeout(ms: number): number {
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_BODY_TIMEOUT_MS) {
    throw new RangeError(`bodyTimeoutMs must be a whole number of milliseconds from 1 to ${MAX_BODY_TIMEOUT_MS}`);
  }
  return ms;
}
