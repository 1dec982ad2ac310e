/**
 * The CLI's flags, as one table: each flag's name, its environment variable, its help line, and how its
 * value goes into the server's options. `parseCli` and the usage text are both made from the table, so a
 * flag cannot be accepted without being documented, or documented without being accepted.
 *
 * The rows live by concern in flags/ (server.ts, data.ts, replicas.ts, behaviour.ts, output.ts); FLAGS
 * joins them in the order `--help` shows them. To add a flag, add a row to its module: the parser
 * (node:util `parseArgs`), the environment variable and `--help` follow from it.
 */
import { CommandLineError, readCommandLine } from "../../lib/command-line.ts";
import { checkSeedOptions } from "../admin/validation.ts";
import { checkBehaviourOptions } from "../behaviour/behaviour-options.ts";
import { ScenarioCatalogue } from "../engine/scenarios.ts";
import { InvalidInputError } from "../invalid-input.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { DEFAULT_SEED } from "../store/seed.ts";
import { BEHAVIOUR_FLAGS, BEHAVIOUR_KEYS } from "./flags/behaviour.ts";
import { DATA_FLAGS } from "./flags/data.ts";
import { OUTPUT_FLAGS } from "./flags/output.ts";
import { NEEDS_REDIS, REPLICA_FLAGS } from "./flags/replicas.ts";
import { DEFAULT_HOST, DEFAULT_PORT, SERVER_FLAGS } from "./flags/server.ts";
import type { CliConfig, CliRequest, Flag, Group } from "./flags/types.ts";
import { parseBoolean, parseList, UsageError } from "./values.ts";

export { DEFAULT_HOST, DEFAULT_PORT } from "./flags/server.ts";
export type { CliConfig, CliRequest } from "./flags/types.ts";

/** Every flag, in the order of `--help`. */
export const FLAGS: Flag[] = [...SERVER_FLAGS, ...DATA_FLAGS, ...REPLICA_FLAGS, ...BEHAVIOUR_FLAGS, ...OUTPUT_FLAGS];

const GROUPS: Group[] = ["Server", "Data", "Admin and state", "Replicas", "Webhooks", "Behaviour switches", "Output"];

/**
 * Reads the command line, then the environment for each flag not given on it. Throws a UsageError naming
 * the flag (or variable) and what is wrong with its value.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): CliRequest {
  let parsed: ReturnType<typeof readCommandLine>;
  try {
    parsed = readCommandLine(argv, {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
      ...Object.fromEntries(
        FLAGS.map((f) => [
          f.name,
          { type: f.kind === "switch" ? ("boolean" as const) : ("string" as const), multiple: f.kind === "list" },
        ]),
      ),
    });
  } catch (error) {
    if (error instanceof CommandLineError) throw new UsageError(error.message);
    throw error;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) return { help: true };
  if (values.version) return { help: true, version: true };

  const config: CliConfig = {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    quiet: false,
    adminOpen: false,
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
    const given = NEEDS_REDIS.find((name) => sourceOf.has(name)) as string;
    throw new UsageError(`${sourceOf.get(given)}: needs --redis (the Redis the replicas share)`);
  }
  if (config.options.stateReadOnly && config.options.stateFile === undefined) {
    throw new UsageError(`${sourceOf.get("read-only")}: needs --state FILE, the file to serve`);
  }
  if (config.options.stateReadOnly && config.options.stateSync) {
    throw new UsageError(
      `${sourceOf.get("read-only")} and ${sourceOf.get("state-sync")}: cannot be used together (--state-sync writes every change to FILE.log)`,
    );
  }
  if (redis !== undefined && config.options.stateFile !== undefined) {
    throw new UsageError(`${sourceOf.get("state")}: cannot be used with --redis, where Redis holds the state`);
  }
  // The behaviour switches' limits are behaviour/options.ts's, checked one by one to name the flag.
  for (const [name, key] of BEHAVIOUR_KEYS) {
    if (config.options[key] === undefined) continue;
    try {
      checkBehaviourOptions({ [key]: config.options[key] });
    } catch (error) {
      throw new UsageError(`${sourceOf.get(name) ?? `--${name}`}: ${(error as Error).message}`);
    }
  }
  if (config.options.scenario !== undefined) {
    try {
      new ScenarioCatalogue(config.options.scenarios).get(config.options.scenario);
    } catch (error) {
      throw new UsageError(`${sourceOf.get("scenario")}: ${(error as Error).message}`);
    }
  }
  // Beyond loopback, with no token, anyone who reaches the port owns the state: only on purpose.
  if (!isLoopback(config.host) && config.options.adminToken === undefined && !config.adminOpen) {
    throw new UsageError(
      `${sourceOf.get("host") ?? "--host"} ${config.host}: listening beyond loopback with no --admin-token lets anyone who reaches this port read the API keys and reset or replace the state; give --admin-token TOKEN, or --admin-open to do so on purpose`,
    );
  }
  return { help: false, config };
}

/** Whether `host` (as `--host` takes it) is a loopback name or address: `localhost`, `127.x.y.z`, `::1`. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name === "::1" || /^127(?:\.\d{1,3}){3}$/.test(name);
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
  const width = Math.max(...FLAGS.map((f) => label(f).length), "-v, --version".length) + 2;
  const lines = [
    "Usage: converseiq-mock [options]      (or: npm start -- [options])",
    "       converseiq-mock proxy --upstream URL [options]",
    "",
    `The ConverseIQ mock server: every operation of the public API under ${PUBLIC_PREFIX}, on seeded in-memory`,
    "data, and the mock's admin API under /__admin (fixtures, reset, state, request journal, webhooks).",
    "Each flag can also be set by the environment variable shown; a flag wins over its variable.",
    "",
    "Commands:",
    "  proxy    The validating proxy in front of the live API: forwards each request, checks request and",
    "           answer against the spec, and records what it sees (converseiq-mock proxy --help).",
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
  lines.push(`  ${"-v, --version".padEnd(width)}Print the version and exit.`);
  lines.push(
    "",
    "Exit codes: 0 stopped by SIGINT/SIGTERM (Ctrl+C), --help or --version; 1 could not start or failed, or a",
    "status of --coverage-require was never answered; 2 bad flag, variable or state file.",
  );
  return `${lines.join("\n")}\n`;
}
