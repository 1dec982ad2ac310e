/**
 * The target a test file runs against, opened once per file: the mock in process (a fresh one per file,
 * requests handed to its fetch adapter, `createMockFetch`: no socket) or any server over HTTP
 * (`CONTRACT_BASE_URL`; `npm run test:http` runs the suites against the mock's HTTP server). Either way
 * every request goes through the one checker (checker.ts), both the typed client's and raw ones, and the
 * mock's control is its admin API.
 *
 * What a test creates is named with the run's prefix (`ciq-contract-<run id>`) and deleted after each
 * test, also when the test fails: creates are tracked from the responses themselves, so nothing a test
 * makes is forgotten.
 */
import { afterAll, afterEach } from "vitest";
import { type ConverseIQClient, createClient } from "../../client/index.ts";
import { API_BASE_PATH } from "../../generated/rules.ts";
import { type Observations, observe } from "../../lib/drift/observe.ts";
import { DEFAULT_API_KEY } from "../../mock-server/mock-options.ts";
import { DEFAULT_SEED, type SeedSizes } from "../../mock-server/store/seed.ts";
import type { StateSnapshot } from "../../mock-server/store/types.ts";
import { createMockFetch } from "../../mock-server/transports/fetch.ts";
import { type Checker, ContractViolation, createChecker } from "./checker.ts";
import { recordLeftover } from "./leftovers.ts";
import { adminControl, type Fixtures, type MockControl } from "./mock-control.ts";
import { currentRun, saveFileResult } from "./results.ts";
import { environmentSettings, type Settings, writesOffWarning } from "./settings.ts";
import { type Fetch, fetchTransport, httpTransport, type Transport, toFetch } from "./transport.ts";

/** Where the in-process mock is reached: a name that resolves nowhere (`.invalid`, RFC 2606). */
const IN_PROCESS_ORIGIN = "http://in-process.invalid";

export interface RawRequest {
  method: string;
  /** Below the base URL, e.g. `/contact/abc`; sent as given (encode it yourself). */
  path: string;
  /** An object (each value encoded), or a ready query string without `?`. */
  query?: Record<string, string | number | undefined> | string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  rawBody?: string;
  contentType?: string;
  /** The target's key (default), no x-api-key header at all, or this key instead. */
  key?: "valid" | "missing" | { wrong: string };
}

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

export interface Target {
  settings: Settings;
  /** How the target is named in messages. */
  name: string;
  baseUrl: string;
  /** The typed client, over the checked fetch. */
  client: ConverseIQClient;
  /** The checked fetch itself. */
  fetch: Fetch;
  /** A request built by hand (bad input, other keys, other methods), through the checked fetch. */
  request(request: RawRequest): Promise<RawResponse>;
  checker: Checker;
  /** The mock's store or admin API, when the target is a mock. */
  control: MockControl | undefined;
  /** Ids of team members, bots and channels (from the mock, or discovered on a live target). */
  fixtures(): Promise<Fixtures>;
  /** `ciq-contract-<run id>`: what names everything the suites create. */
  prefix: string;
  /** A name with the run's prefix. */
  label(what: string): string;
  /** A fresh email address with the run's prefix (lower case). */
  email(what?: string): string;
  /** Deletes what was created since the last cleanup (runs after each test). */
  cleanup(): Promise<void>;
  /** Replaces the mock's state and forgets what was tracked for cleanup (mock targets only). */
  reset(snapshot: StateSnapshot): Promise<void>;
  /** Stops the in-process mock (nothing to do over HTTP). */
  close(): Promise<void>;
  /** What the responses showed of the spec's schemas (collected for drift reports only). */
  observations(): Observations;
}

/** Opens the target for the calling test file, and registers its cleanup and its results. */
export async function openTarget(file: string, options: TargetOptions = {}): Promise<Target> {
  const settings = environmentSettings();
  const warning = writesOffWarning(settings);
  if (warning) console.warn(`${warning}  [${file}]`);
  const target = await createTarget(settings, options);
  afterEach(() => target.cleanup());
  afterAll(async () => {
    await target.cleanup();
    saveFileResult({
      file,
      target: target.name,
      mode: settings.mode,
      checks: target.checker.stats.checks,
      failures: target.checker.stats.failures,
      extras: Object.fromEntries([...target.checker.stats.extras].map(([op, set]) => [op, [...set]])),
      observations: target.observations(),
    });
    await target.close();
  });
  return target;
}

/** Builds a target without registering hooks (tests of the harness use this). */
export interface TargetOptions {
  /** A test double between the checker and the target (mutation tests). */
  wrapTransport?: (transport: Transport) => Transport;
  /** Collect what responses show of the schemas (default: when CONTRACT_DRIFT_REPORT is set). */
  observe?: boolean;
  /** Sizes of the in-process mock's seeded data (ignored over HTTP). */
  seed?: Partial<SeedSizes>;
}

export async function createTarget(settings: Settings, options: TargetOptions = {}): Promise<Target> {
  let transport: Transport;
  let control: MockControl | undefined;
  let baseUrl: string;
  let apiKey: string;
  let close = async () => {};
  if (settings.kind === "in-process") {
    // The mock's fetch adapter: the engine answers in process, no socket. Its base URL names no real host,
    // so a request that missed it could never reach one.
    const mock = createMockFetch({
      baseUrl: `${IN_PROCESS_ORIGIN}${API_BASE_PATH}`,
      ...(options.seed ? { seed: { ...DEFAULT_SEED, ...options.seed } } : {}),
    });
    baseUrl = mock.baseUrl;
    transport = fetchTransport(mock.fetch);
    control = await adminControl(IN_PROCESS_ORIGIN, undefined, mock.fetch);
    if (!control) throw new Error("the fetch adapter did not answer /__admin/fixtures");
    apiKey = mock.apiKey;
    close = () => mock.close();
  } else {
    baseUrl = settings.baseUrl as string;
    transport = httpTransport();
    // With the run's key, so a run in a workspace of its own (runContract against a mock) reads and resets
    // that workspace only.
    control = settings.adminUrl
      ? await adminControl(settings.adminUrl, process.env.CONTRACT_ADMIN_TOKEN, undefined, settings.apiKey)
      : undefined;
    // A mock tells its keys; anything else must be given one.
    apiKey = settings.apiKey ?? (control ? DEFAULT_API_KEY : "");
    if (!apiKey) throw new Error(`no API key: ${settings.name} is not a mock, it needs one (CONVERSEIQ_API_KEY)`);
  }
  if (options.wrapTransport) transport = options.wrapTransport(transport);
  // The runner's own tests: one fault of run/faults.ts on the in-process mock's public API (its admin API,
  // reached apart, stays whole), so that all the suites run against a single-fault server in parallel.
  const fault = process.env.CONTRACT_FAULT;
  if (fault && settings.kind === "in-process") {
    const { FAULTS } = await import("../run/faults.ts");
    const wrap = (FAULTS as Record<string, ((inner: Transport) => Transport) | undefined>)[fault];
    if (!wrap) throw new Error(`CONTRACT_FAULT=${fault} names no fault of run/faults.ts`);
    transport = wrap(transport);
  }

  const checker = createChecker({ target: settings.name, mode: settings.mode, baseUrl, apiKey });
  const checked = checker.wrap(transport);
  const checkedFetch = toFetch(checked);
  const client = createClient({ baseUrl, apiKey, fetch: checkedFetch });
  const run = currentRun();
  const prefix = `ciq-contract-${run.id}`;
  let serial = 0;
  let tracked: { kind: "contact" | "chat"; id: string }[] = [];

  const request = async (raw: RawRequest): Promise<RawResponse> => {
    const headers: Record<string, string> = {};
    const key = raw.key ?? "valid";
    if (key === "valid") headers["x-api-key"] = apiKey;
    else if (key !== "missing") headers["x-api-key"] = key.wrong;
    let body: string | undefined;
    if (raw.rawBody !== undefined) body = raw.rawBody;
    else if (raw.body !== undefined) body = JSON.stringify(raw.body);
    if (body !== undefined) headers["content-type"] = raw.contentType ?? "application/json";
    const query =
      typeof raw.query === "string"
        ? raw.query
        : new URLSearchParams(
            Object.entries(raw.query ?? {})
              .filter((e): e is [string, string | number] => e[1] !== undefined)
              .map(([k, v]) => [k, String(v)]),
          ).toString();
    const url = `${baseUrl}${raw.path}${query ? `?${query}` : ""}`;
    const response = await checked({ method: raw.method, url, headers, ...(body === undefined ? {} : { body }) });
    let json: unknown;
    try {
      json = response.text === "" ? undefined : JSON.parse(response.text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text: response.text, json };
  };

  checker.listen((exchange) => {
    if (exchange.status !== 200) return;
    const kind =
      exchange.operation?.id === "createContact" ? "contact" : exchange.operation?.id === "createChat" ? "chat" : null;
    const guid = (exchange.verdict.body as { guid?: unknown } | undefined)?.guid;
    if (kind && typeof guid === "string") tracked.push({ kind, id: guid });
  });
  const observations: Observations = {};
  if (options.observe ?? Boolean(process.env.CONTRACT_DRIFT_REPORT)) {
    checker.listen((exchange) => {
      const key = exchange.verdict.responseKey;
      const media = exchange.contentType?.split(";")[0]?.trim().toLowerCase();
      const schema = key && media ? exchange.operation?.responses.get(key)?.schemas.get(media) : undefined;
      if (schema && exchange.verdict.body !== undefined) observe(schema, exchange.verdict.body, observations);
    });
  }

  let fixtures: Promise<Fixtures> | undefined;
  const target: Target = {
    settings,
    name: settings.name,
    baseUrl,
    client,
    fetch: checkedFetch,
    request,
    checker,
    control,
    fixtures: () => {
      fixtures ??= control ? control.fixtures() : discoverFixtures(client);
      return fixtures;
    },
    prefix,
    label: (what) => `${prefix} ${what}`,
    email: (what = "contact") =>
      `${`${prefix}-${++serial}-${what}`.toLowerCase().replace(/[^a-z0-9.-]+/g, "-")}@example.com`,
    cleanup: async () => {
      const todo = tracked.reverse();
      tracked = [];
      const errors: string[] = [];
      for (const { kind, id } of todo) {
        try {
          const { status } = await request({ method: "DELETE", path: `/${kind}/${encodeURIComponent(id)}` });
          if (status !== 200 && status !== 404) {
            errors.push(`DELETE /${kind}/${id} answered ${status}`);
            recordLeftover({ kind, id, why: `DELETE answered ${status}` });
          }
        } catch (error) {
          const why =
            error instanceof ContractViolation
              ? `DELETE answered ${error.failure.response.split(" ")[0]}, breaking ${error.failure.problems.map((p) => p.rule).join(", ")}`
              : String(error).split("\n")[0];
          recordLeftover({ kind, id, why: why ?? "" });
          // A delete that broke the contract is reported by the delete's own checks, not by every test that
          // happened to create something.
          if (!(error instanceof ContractViolation)) errors.push(String(error));
        }
      }
      if (errors.length > 0) throw new Error(`Cleanup of what the test created failed:\n${errors.join("\n")}`);
    },
    reset: async (snapshot) => {
      if (!control) throw new Error(`${settings.name} is not a mock: its state cannot be replaced`);
      await control.replace(snapshot);
      tracked = [];
      fixtures = undefined;
    },
    close,
    observations: () => observations,
  };
  return target;
}

/**
 * Ids on a target that is not a mock: team members from the public API; channels and bots from
 * environment variables (`CONTRACT_LIVECHAT_CHANNEL_ID`, `CONTRACT_CHANNEL_ID`, `CONTRACT_BOT_ID`,
 * `CONTRACT_AGENT_ID`) and from the chats the target already has. Types of channels seen only in chats
 * are unknown; tests that need one skip and say why.
 */
async function discoverFixtures(client: ConverseIQClient): Promise<Fixtures> {
  const env = process.env;
  const team = new Set<string>(env.CONTRACT_AGENT_ID ? [env.CONTRACT_AGENT_ID] : []);
  const bots = new Set<string>(env.CONTRACT_BOT_ID ? [env.CONTRACT_BOT_ID] : []);
  const channels = new Map<string, string | undefined>();
  if (env.CONTRACT_LIVECHAT_CHANNEL_ID) channels.set(env.CONTRACT_LIVECHAT_CHANNEL_ID, "LiveChatWeb");
  if (env.CONTRACT_CHANNEL_ID) channels.set(env.CONTRACT_CHANNEL_ID, env.CONTRACT_CHANNEL_TYPE || undefined);
  const members = await client.GET("/team", { params: { query: { limit: 100 } } });
  for (const member of members.data?.data ?? []) team.add(member.guid);
  const chats = await client.GET("/chat", { params: { query: { limit: 100 } } });
  for (const chat of chats.data?.data ?? []) {
    if (!channels.has(chat.channel)) channels.set(chat.channel, undefined);
    if (chat.bot) bots.add(chat.bot);
  }
  return {
    team: [...team],
    bots: [...bots],
    channels: [...channels].map(([guid, type]) => ({ guid, type })),
  };
}
