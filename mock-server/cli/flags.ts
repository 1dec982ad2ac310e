/**
 * The CLI's flags, as one table: each flag's name, its environment variable, its help line, and how its
 * value goes into the server's options. `parseCli` and the usage text are both made from the table, so a
 * flag cannot be accepted without being documented, or documented without being accepted.
 *
 * To add a flag, add a row to FLAGS (in its group): the parser (node:util `parseArgs`), the environment
 * variable and `--help` follow from it.
 */
import { parseArgs } from "node:util";
import { checkSeedOptions } from "../admin/validation.ts";
import { checkBehaviourOptions } from "../behaviour/behaviour-options.ts";
import { type CoverageRequirement, parseCoverageRequirement } from "../engine/coverage.ts";
import { InvalidInputError } from "../invalid-input.ts";
import {
  DEFAULT_API_KEY,
  DEFAULT_BODY_TIMEOUT_MS,
  MAX_BODY_TIMEOUT_MS,
  type MockOptions,
  PUBLIC_PREFIX,
} from "../mock-options.ts";
import {
  CONSISTENCIES,
  type Consistency,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_SNAPSHOT_EVERY,
  type RedisOptions,
} from "../replication/redis-options.ts";
import { DEFAULT_SEED, type SeedSizes } from "../store/seed.ts";
import { parseEndpoint } from "../webhooks/filters.ts";
import {
  parseBoolean,
  parseCors,
  parseInteger,
  parseLatency,
  parseList,
  parseRate,
  parseRateLimit,
  UsageError,
} from "./values.ts";

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = "127.0.0.1";

/**
 * What the CLI was asked for: where to listen, whether to log, what to print when it stops, and the
 * server's options.
 */
export interface CliConfig {
  port: number;
  host: string;
  quiet: boolean;
  /** Print the coverage table when stopped (`--coverage`, or implied by `--coverage-require`). */
  coverage: boolean;
  /** Statuses that must have been answered by the time it stops, else it exits 1 (`--coverage-require`). */
  coverageRequire: CoverageRequirement[];
  options: Partial<MockOptions> & { seed: SeedSizes };
}

export type CliRequest = { help: true } | { help: false; config: CliConfig };

type Group = "Server" | "Data" | "Admin and state" | "Replicas" | "Webhooks" | "Behaviour switches" | "Output";

interface Common {
  name: string;
  env: string;
  group: Group;
  help: string;
  /** The default as the usage text shows it, when there is one worth showing. */
  shown?: string;
}
/** A flag that takes a value (`--port 4010`). */
interface ValueFlag extends Common {
  kind: "value";
  /** The value's placeholder in the usage text. */
  value: string;
  apply: (config: CliConfig, text: string) => void;
}
/** A flag that may be repeated; its environment variable holds the values separated by commas. */
interface ListFlag extends Common {
  kind: "list";
  value: string;
  apply: (config: CliConfig, items: string[]) => void;
  /** How the environment variable is split into values, when not by commas. */
  split?: (text: string) => string[];
}
/** A flag that takes no value (`--quiet`); its environment variable is 1/true or 0/false. */
interface SwitchFlag extends Common {
  kind: "switch";
  apply: (config: CliConfig, on: boolean) => void;
}
type Flag = ValueFlag | ListFlag | SwitchFlag;

const sizeFlag = (key: Exclude<keyof SeedSizes, "seed">, what: string): ValueFlag => ({
  kind: "value",
  name: key,
  env: `MOCK_${key.toUpperCase()}`,
  group: "Data",
  value: "N",
  help: `How many ${what} to seed.`,
  shown: String(DEFAULT_SEED[key]),
  apply: (config, text) => {
    // Any whole number here; the spec's limits are checked once all flags are read (see parseCli).
    config.options.seed[key] = parseInteger(text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  },
});

export const FLAGS: Flag[] = [
  {
    kind: "value",
    name: "port",
    env: "MOCK_PORT",
    group: "Server",
    value: "N",
    help: "Port to listen on (0 picks a free one; the first line printed says which).",
    shown: String(DEFAULT_PORT),
    apply: (config, text) => {
      config.port = parseInteger(text, 0, 65535);
    },
  },
  {
    kind: "value",
    name: "host",
    env: "MOCK_HOST",
    group: "Server",
    value: "HOST",
    help: "Address to listen on (0.0.0.0 for every interface).",
    shown: DEFAULT_HOST,
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("expected a host name or address");
      config.host = text.trim();
    },
  },
  {
    kind: "list",
    name: "api-key",
    env: "MOCK_API_KEY",
    group: "Server",
    value: "KEY",
    help: "An API key accepted in x-api-key; repeat the flag (or separate by commas in the variable) for more.",
    shown: DEFAULT_API_KEY,
    apply: (config, items) => {
      if (items.some((key) => key.trim() === "" || key !== key.trim())) {
        throw new UsageError("an API key must not be empty or start or end with spaces");
      }
      config.options.apiKeys = items;
    },
  },
  {
    kind: "value",
    name: "body-timeout",
    env: "MOCK_BODY_TIMEOUT",
    group: "Server",
    value: "MS",
    help: "When a request body stops arriving for this long, answer 408 and close the connection.",
    shown: String(DEFAULT_BODY_TIMEOUT_MS),
    apply: (config, text) => {
      config.options.bodyTimeoutMs = parseInteger(text, 1, MAX_BODY_TIMEOUT_MS);
    },
  },
  {
    kind: "value",
    name: "seed",
    env: "MOCK_SEED",
    group: "Data",
    value: "N",
    help: "Seed of the generated data: the same seed gives the same data, byte for byte.",
    shown: String(DEFAULT_SEED.seed),
    apply: (config, text) => {
      config.options.seed.seed = parseInteger(text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    },
  },
  sizeFlag("contacts", "contacts"),
  sizeFlag("chats", "chats (each with 1 to 15 messages)"),
  sizeFlag("team", "team members (the first is the owner)"),
  sizeFlag("channels", "channels (LiveChatWeb, WhatsApp, Messenger, Email, Telegram, ...)"),
  sizeFlag("bots", "bots"),
  {
    kind: "value",
    name: "admin-token",
    env: "MOCK_ADMIN_TOKEN",
    group: "Admin and state",
    value: "TOKEN",
    help: "Require this token in the x-admin-token header of every /__admin request.",
    apply: (config, text) => {
      if (text === "") throw new UsageError("the admin token must not be empty");
      config.options.adminToken = text;
    },
  },
  {
    kind: "value",
    name: "state",
    env: "MOCK_STATE_FILE",
    group: "Admin and state",
    value: "FILE",
    help: "Load the state from FILE if it exists; write it back after changes and on exit.",
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("expected a file name");
      config.options.stateFile = text;
    },
  },
  {
    kind: "value",
    name: "redis",
    env: "MOCK_REDIS",
    group: "Replicas",
    value: "URL",
    help: "Share the state with every mock started with the same Redis (redis://HOST:PORT[/DB]) and prefix: run replicas behind a load balancer.",
    apply: (config, text) => {
      if (!/^rediss?:\/\/[^/]/.test(text.trim())) throw new UsageError("expected redis://HOST:PORT[/DB]");
      redisOf(config).url = text.trim();
    },
  },
  {
    kind: "value",
    name: "redis-prefix",
    env: "MOCK_REDIS_PREFIX",
    group: "Replicas",
    value: "NAME",
    help: "The prefix of the mock's Redis keys: replicas with the same prefix share one state.",
    shown: DEFAULT_REDIS_PREFIX,
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("the prefix must not be empty");
      redisOf(config).prefix = text.trim();
    },
  },
  {
    kind: "value",
    name: "consistency",
    env: "MOCK_CONSISTENCY",
    group: "Replicas",
    value: "MODE",
    help: "strong: a read first catches up with every replica's changes (one round trip to Redis); eventual: reads what this replica has applied, which may lag by the changes in flight.",
    shown: "strong",
    apply: (config, text) => {
      if (!CONSISTENCIES.includes(text as Consistency)) throw new UsageError(`expected ${CONSISTENCIES.join(" or ")}`);
      redisOf(config).consistency = text as Consistency;
    },
  },
  {
    kind: "value",
    name: "snapshot-every",
    env: "MOCK_SNAPSHOT_EVERY",
    group: "Replicas",
    value: "N",
    help: "Write the whole state to Redis every N changes and trim the log behind it.",
    shown: String(DEFAULT_SNAPSHOT_EVERY),
    apply: (config, text) => {
      redisOf(config).snapshotEvery = parseInteger(text, 1, 1_000_000_000);
    },
  },
  {
    kind: "list",
    name: "webhook",
    env: "MOCK_WEBHOOK",
    group: "Webhooks",
    value: "URL[#EVENTS]",
    help: "POST every event (or only EVENTS: names, prefixes like chat.*, separated by commas) to URL; repeat the flag for more endpoints (separate them by spaces in the variable).",
    // Commas separate the events of one endpoint, so the variable separates endpoints by spaces.
    split: (text) => text.split(/\s+/).filter((part) => part !== ""),
    apply: (config, items) => {
      const endpoints = items.map((item) => {
        try {
          return parseEndpoint(item);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      });
      config.options.webhooks = { ...config.options.webhooks, endpoints };
    },
  },
  // Behaviour switches: checked again by behaviour/behaviour-options.ts (checkBehaviourOptions) before starting.
  {
    kind: "value",
    name: "latency",
    env: "MOCK_LATENCY",
    group: "Behaviour switches",
    value: "MS",
    help: "Delay every public answer by a random time in a range of milliseconds (50-200) or a fixed one (100).",
    apply: (config, text) => {
      config.options.latency = parseLatency(text);
    },
  },
  {
    kind: "value",
    name: "error-rate",
    env: "MOCK_ERROR_RATE",
    group: "Behaviour switches",
    value: "RATE",
    help: "Answer this share of public requests (0.05 or 5%) with a documented 429, 500 or 503.",
    apply: (config, text) => {
      config.options.errorRate = parseRate(text);
    },
  },
  {
    kind: "value",
    name: "rate-limit",
    env: "MOCK_RATE_LIMIT",
    group: "Behaviour switches",
    value: "N/WINDOW",
    help: "At most N public requests per API key per window (600/min, 10/s, 5000/hour); then 429.",
    apply: (config, text) => {
      config.options.rateLimit = parseRateLimit(text);
    },
  },
  {
    kind: "value",
    name: "cors",
    env: "MOCK_CORS",
    group: "Behaviour switches",
    value: "ORIGINS",
    help: "CORS: * for any origin, off for none, or origins separated by commas.",
    shown: "*",
    apply: (config, text) => {
      config.options.cors = parseCors(text);
    },
  },
  {
    kind: "switch",
    name: "no-cors",
    env: "MOCK_NO_CORS",
    group: "Behaviour switches",
    help: "Send no CORS headers and answer no preflight (the same as --cors off).",
    apply: (config, on) => {
      if (on) config.options.cors = false;
    },
  },
  {
    kind: "switch",
    name: "quiet",
    env: "MOCK_QUIET",
    group: "Output",
    help: "Only the line saying where it listens: no banner, no log line per request.",
    apply: (config, on) => {
      config.quiet = on;
    },
  },
  {
    kind: "switch",
    name: "coverage",
    env: "MOCK_COVERAGE",
    group: "Output",
    help: "When stopped (SIGINT/SIGTERM), print each operation's documented statuses: those answered, with their counts, and those never answered (GET /__admin/coverage).",
    apply: (config, on) => {
      config.coverage = on;
    },
  },
  {
    kind: "list",
    name: "coverage-require",
    env: "MOCK_COVERAGE_REQUIRE",
    group: "Output",
    value: "STATUS",
    help: "When stopped, print the coverage and exit 1 if one of these was never answered: a status (404: by any operation) or an operation's (getContact:404); repeat the flag or separate by commas.",
    apply: (config, items) => {
      try {
        config.coverageRequire = items.flatMap(parseList).map(parseCoverageRequirement);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (items.length > 0) config.coverage = true;
    },
  },
];

/** The Redis options being read; the URL is checked to be there once all flags are read (see parseCli). */
function redisOf(config: CliConfig): Partial<RedisOptions> {
  config.options.redis ??= { url: "" };
  return config.options.redis;
}

/** Flags whose values behaviour/behaviour-options.ts checks, with the option each sets. */
const BEHAVIOUR_KEYS = [
  ["latency", "latency"],
  ["error-rate", "errorRate"],
  ["rate-limit", "rateLimit"],
  ["cors", "cors"],
] as const;

const GROUPS: Group[] = ["Server", "Data", "Admin and state", "Replicas", "Webhooks", "Behaviour switches", "Output"];

/**
 * Reads the command line, then the environment for each flag not given on it. Throws a UsageError naming
 * the flag (or variable) and what is wrong with its value.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): CliRequest {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(
          FLAGS.map((f) => [f.name, { type: f.kind === "switch" ? "boolean" : "string", multiple: f.kind === "list" }]),
        ),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) return { help: true };

  const config: CliConfig = {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    quiet: false,
    coverage: false,
    coverageRequire: [],
    options: { seed: { ...DEFAULT_SEED } },
  };
  const sourceOf = new Map<string, string>();
  for (const flag of FLAGS) {
    const given = values[flag.name];
    const fromEnv = env[flag.env];
    const source = given !== undefined ? `--${flag.name}` : fromEnv ? flag.env : undefined;
    if (source === undefined) continue;
    sourceOf.set(flag.name, source);
    try {
      if (flag.kind === "switch")
        flag.apply(config, given !== undefined ? given === true : parseBoolean(fromEnv ?? ""));
      else if (flag.kind === "list")
        flag.apply(config, given !== undefined ? (given as string[]) : (flag.split ?? parseList)(fromEnv ?? ""));
      else flag.apply(config, given !== undefined ? String(given) : (fromEnv ?? ""));
    } catch (error) {
      throw new UsageError(`${source}: ${(error as Error).message}`);
    }
  }

  // The sizes' limits are the admin spec's (SeedOptions), the same as for POST /__admin/reset.
  try {
    checkSeedOptions(config.options.seed);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const lines = error.details.map((d) => {
      const name = d.field.replace(/^\//, "");
      return `${sourceOf.get(name) ?? `--${name}`}: ${d.message}`;
    });
    throw new UsageError(lines.join("; "));
  }
  const redis = config.options.redis;
  if (redis !== undefined && redis.url === "") {
    const given = ["redis-prefix", "consistency", "snapshot-every"].find((name) => sourceOf.has(name)) as string;
    throw new UsageError(`${sourceOf.get(given)}: needs --redis (the Redis the replicas share)`);
  }
  if (redis !== undefined && config.options.stateFile !== undefined) {
    throw new UsageError(`${sourceOf.get("state")}: cannot be used with --redis, where Redis holds the state`);
  }
  // The behaviour switches' limits are behaviour/behaviour-options.ts's, checked one by one to name the flag.
  for (const [name, key] of BEHAVIOUR_KEYS) {
    if (config.options[key] === undefined) continue;
    try {
      checkBehaviourOptions({ [key]: config.options[key] });
    } catch (error) {
      throw new UsageError(`${sourceOf.get(name) ?? `--${name}`}: ${(error as Error).message}`);
    }
  }
  return { help: false, config };
}

const USAGE_WIDTH = 100;

/** Words in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** The `--help` text: every flag, its environment variable and default, by group. */
export function usage(): string {
  const label = (f: Flag) => `--${f.name}${f.kind === "switch" ? "" : ` ${f.value}`}`;
  const width = Math.max(...FLAGS.map((f) => label(f).length), "-h, --help".length) + 2;
  const lines = [
    "Usage: converseiq-mock [options]      (or: npm start -- [options])",
    "",
    `The ConverseIQ mock server: every operation of the public API under ${PUBLIC_PREFIX}, on seeded in-memory`,
    "data, and the mock's admin API under /__admin (fixtures, reset, state, request journal, webhooks).",
    "Each flag can also be set by the environment variable shown; a flag wins over its variable.",
  ];
  for (const group of GROUPS) {
    lines.push("", `${group}:`);
    for (const flag of FLAGS.filter((f) => f.group === group)) {
      const extra = [`env ${flag.env}`, ...(flag.shown !== undefined ? [`default ${flag.shown}`] : [])];
      const text = wrap(flag.help, USAGE_WIDTH - width - 2);
      text.push(`(${extra.join(", ")})`);
      text.forEach((line, i) => {
        lines.push(`  ${(i === 0 ? label(flag) : "").padEnd(width)}${line}`);
      });
    }
  }
  lines.push("", `  ${"-h, --help".padEnd(width)}Show this text and exit.`);
  lines.push(
    "",
    "Exit codes: 0 stopped by SIGINT/SIGTERM (Ctrl+C) or --help; 1 could not start or failed, or a status of",
    "--coverage-require was never answered; 2 bad flag, variable or state file.",
  );
  return `${lines.join("\n")}\n`;
}
