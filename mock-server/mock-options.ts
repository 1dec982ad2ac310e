/** Everything the mock can be told at start, with its defaults. The CLI and tests both build these. */
import { API_BASE_PATH, MAX_BODY_BYTES } from "../generated/rules.ts";
import { adminSpec } from "../lib/spec.ts";
import type { WebhookPayload } from "../lib/webhooks.ts";
import { type BehaviourOptions, checkBehaviourOptions } from "./behaviour/behaviour-options.ts";
import { Clock } from "./clock.ts";
import { DEFAULT_EVENT_CAPACITY } from "./engine/events.ts";
import type { ScenarioFile } from "./engine/scenarios.ts";
import { type RedisOptions, redisDefaults } from "./replication/redis-options.ts";
import type { Scheduler } from "./scheduler.ts";
import { DEFAULT_SEED, type SeedSizes } from "./store/seed.ts";
import type { WebhookOptions } from "./webhooks/webhook-options.ts";

/** The behaviour switches (latency, errorRate, rateLimit, cors, random) are in behaviour/behaviour-options.ts. */
export interface MockOptions extends BehaviourOptions {
  /** API keys accepted in `x-api-key`. */
  apiKeys: string[];
  /** Seed and sizes of the seeded data. */
  seed: SeedSizes;
  /** Log one line per request (Fastify's logger, pino; transports/request-log.ts). */
  logger: boolean;
  /** How the request log is written (`--log-format`): a human line (`pretty`, the default) or pino's JSON lines. */
  logFormat?: "pretty" | "json";
  /**
   * The mock's clock (clock.ts): the date of new objects and events, and the timers of everything that
   * waits, unless `now` or `scheduler` stand in for its parts. A real-time one of its own by default; a test
   * moves it with `set`, `advance` and `real` (or `POST /__admin/clock`).
   */
  clock: Clock;
  /** The date of new objects, in place of the clock's (tests of the mock fix it). */
  now?: () => string;
  newId?: () => string;
  /**
   * Timers and clock of everything that waits, in place of the clock's: webhook deliveries and retries,
   * rate-limit windows, `Prefer: delay`, latency, and the state file's writes (which otherwise use the
   * runtime's timers: a frozen clock must not stop the state being saved). Tests pass a `ManualScheduler`.
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
  /**
   * `--read-only`: the state file is loaded and never written; changes are served from memory only
   * (state-file.ts, `replayStateFile`). Needs `stateFile`; not with `stateSync`.
   */
  stateReadOnly?: boolean;
  /** How many requests the journal (`GET /__admin/requests`) keeps; older ones are dropped. */
  journalCapacity: number;
  /**
   * Whether the journal keeps each public request's body and answer, for the journal file
   * (`GET /__admin/journal`, `journal()`, `--journal-out`). Default true; the `converseiq-mock` command
   * keeps them only with `--journal-out`: holding the last thousand answers costs a running server about
   * 40% of its GET throughput (the answers live long enough to reach the old generation of the heap).
   */
  journalBodies: boolean;
  /**
   * How many of the latest webhook events each workspace keeps for `GET /__admin/events` (and a control's
   * `events()`), whether or not an endpoint is subscribed; 0 keeps none. Default 1000.
   */
  eventCapacity: number;
  /** Told each webhook event of the default workspace (`{event, id, ts, data}`) as the change is made. */
  onEvent?: (event: WebhookPayload) => void;
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

export function withDefaults(options: MockOptionsInput = {}): MockOptions {
  return {
    apiKeys: options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_API_KEY],
    seed: seedOf(options.seed),
    clock: options.clock ?? new Clock(),
    logger: options.logger ?? false,
    journalCapacity: options.journalCapacity ?? DEFAULT_JOURNAL_CAPACITY,
    journalBodies: options.journalBodies ?? true,
    eventCapacity: options.eventCapacity ?? DEFAULT_EVENT_CAPACITY,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    bodyTimeoutMs: checkBodyTimeout(options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS),
    bodyTotalTimeoutMs: checkBodyTimeout(options.bodyTotalTimeoutMs ?? DEFAULT_BODY_TOTAL_TIMEOUT_MS),
    ...(options.logFormat !== undefined ? { logFormat: options.logFormat } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.adminCors !== undefined ? { adminCors: options.adminCors } : {}),
    ...(options.stateFile !== undefined ? { stateFile: options.stateFile } : {}),
    ...(options.stateSync ? { stateSync: true } : {}),
    ...(options.stateReadOnly ? { stateReadOnly: true } : {}),
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

/** The date of new objects and events: `now` when a test fixed it, else the clock's. */
export function dateOf(options: Pick<MockOptions, "clock" | "now">): () => string {
  return options.now ?? options.clock.iso;
}

/** Seed and sizes as a consumer gives them: any of them (the rest are the defaults), or the seed alone. */
export type MockSeedInput = number | Partial<SeedSizes>;

/**
 * The options `startMock`, `createMockFetch` and `createHandlers` take (and `buildMockServer`): every
 * option optional, with a partial seed, or `seed: 7` for `{ seed: 7 }`.
 */
export interface MockOptionsInput extends Omit<Partial<MockOptions>, "seed"> {
  seed?: MockSeedInput;
}

/** The seed and sizes an input names, over the defaults. */
export function seedOf(seed: MockSeedInput | undefined): SeedSizes {
  return { ...DEFAULT_SEED, ...(typeof seed === "number" ? { seed } : seed) };
}

type Check = (value: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const kind =
  (type: "string" | "boolean" | "function" | "number", what: string): Check =>
  (value) =>
    typeof value === type ? undefined : `must be ${what}`;
const wholeNumber: Check = (value) =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? undefined : "must be a whole number ≥ 0";
const object: Check = (value) => (isObject(value) ? undefined : "must be an object");
const strings: Check = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === "string") ? undefined : "must be a list of strings";
const text = kind("string", "a string");
const flag = kind("boolean", "true or false");
const fn = kind("function", "a function");

/** Each option a consumer may give, and its check at run time (the ranges are checked where they are used). */
const OPTION_CHECKS: { [Name in keyof Required<MockOptionsInput>]: Check } = {
  apiKeys: strings,
  seed: () => undefined, // checked field by field below, against the admin spec's SeedOptions
  logger: flag,
  logFormat: (value) => (value === "pretty" || value === "json" ? undefined : `must be "pretty" or "json"`),
  clock: (value) => (value instanceof Clock ? undefined : "must be a Clock"),
  now: fn,
  newId: fn,
  scheduler: object,
  adminToken: text,
  allowedHosts: (value) => (value === "all" ? undefined : strings(value)),
  adminCors: strings,
  stateFile: text,
  stateSync: flag,
  stateReadOnly: flag,
  scenario: text,
  scenarios: object,
  journalCapacity: wholeNumber,
  journalBodies: flag,
  eventCapacity: wholeNumber,
  onEvent: fn,
  webhooks: object,
  bodyTimeoutMs: wholeNumber,
  bodyTotalTimeoutMs: wholeNumber,
  redis: object,
  latency: object,
  errorRate: kind("number", "a number from 0 to 1"),
  rateLimit: object,
  cors: (value) => (typeof value === "boolean" ? undefined : strings(value)),
  random: fn,
};

/** Options a caller takes beside the shared ones (`createMockFetch`'s `baseUrl`), with their checks. */
export type ExtraChecks = Record<string, Check>;

/**
 * Checks options given from plain JavaScript (TypeScript checks them at compile time): an unknown option,
 * or one of the wrong type, throws a TypeError that names the caller and the option,
 * `startMock: option seed.contacts must be a whole number ≥ 0; got "x"`. Returns them as they were.
 */
export function checkOptionsInput<T>(caller: string, options: T, extra: ExtraChecks = {}): T {
  if (options === undefined) return options;
  const fail = (name: string, problem: string, value: unknown): never => {
    throw new TypeError(`${caller}: option ${name} ${problem}; got ${describe(value)}`);
  };
  if (!isObject(options)) fail("object", "must be an object of options", options);
  for (const [name, value] of Object.entries(options as Record<string, unknown>)) {
    if (value === undefined) continue;
    const check = (OPTION_CHECKS as Record<string, Check>)[name] ?? extra[name];
    if (check === undefined) {
      const known = [...Object.keys(OPTION_CHECKS), ...Object.keys(extra)].sort().join(", ");
      throw new TypeError(`${caller}: unknown option ${name}; the options are: ${known}`);
    }
    const problem = check(value);
    if (problem !== undefined) fail(name, problem, value);
  }
  const seed = (options as MockOptionsInput).seed;
  if (seed !== undefined && typeof seed !== "number" && !isObject(seed)) {
    fail("seed", "must be a number (the seed) or an object of seed and sizes", seed);
  }
  if (typeof seed === "number" && !Number.isInteger(seed)) fail("seed", "must be a whole number", seed);
  if (isObject(seed)) {
    for (const [name, value] of Object.entries(seed)) {
      const range = SEED_RANGES[name];
      if (range === undefined)
        fail(`seed.${name}`, `is not a seed option (${Object.keys(SEED_RANGES).join(", ")})`, value);
      else if (value !== undefined && !inRange(value, range)) fail(`seed.${name}`, rangeText(range), value);
    }
  }
  return options;
}

/** Each seed option's bounds, from the admin spec's `SeedOptions` (the schema a reset is checked against). */
const SEED_RANGES: Record<string, { minimum?: number; maximum?: number }> = Object.fromEntries(
  Object.entries(
    (adminSpec.components?.schemas ?? {}) as Record<
      string,
      { properties?: Record<string, { minimum?: number; maximum?: number }> }
    >,
  )
    .filter(([name]) => name === "SeedOptions")
    .flatMap(([, schema]) => Object.entries(schema.properties ?? {}))
    .map(([name, schema]) => [name, { minimum: schema.minimum, maximum: schema.maximum }]),
);

const inRange = (value: unknown, { minimum = -Infinity, maximum = Infinity }: { minimum?: number; maximum?: number }) =>
  typeof value === "number" && Number.isInteger(value) && value >= minimum && value <= maximum;

function rangeText({ minimum, maximum }: { minimum?: number; maximum?: number }): string {
  if (minimum !== undefined && maximum !== undefined) return `must be a whole number from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return `must be a whole number ≥ ${minimum}`;
  return "must be a whole number";
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
