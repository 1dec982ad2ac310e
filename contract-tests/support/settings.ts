/**
 * Which target the contract suites run against, read from the environment once and synchronously, so
 * that tests can decide at collection time what to skip (and say so).
 *
 * - No base URL: the mock in process (fresh state per test file, no socket).
 * - `CONVERSEIQ_BASE_URL` (+ `CONVERSEIQ_API_KEY`): any server over real HTTP. These are the names a user
 *   sets, as for every command of the kit; `runContract` hands its options to the workers as
 *   `CONTRACT_BASE_URL` and `CONTRACT_API_KEY` instead, always set (empty when not given), so that what the
 *   caller's environment holds never leaks into a run that was not asked for it.
 * - `CONTRACT_ALLOW_WRITES=1`: allow POST/PUT/DELETE against a non-local target (off by default).
 * - `CONTRACT_MODE=strict|tolerant`: how bodies are judged; strict for local targets, tolerant otherwise.
 * - `CONTRACT_ADMIN_URL`: where the mock's admin API is (default: the base URL's origin, local targets only).
 * - `CONTRACT_VIA_PRISM=1`: the target is Prism in front of the mock; only happy-path tests run, since
 *   Prism answers invalid requests itself.
 */
import type { Mode } from "../../lib/response-validator.ts";

export interface Settings {
  kind: "in-process" | "http";
  /** How the target is named in messages and summaries (never with credentials). */
  name: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** 127.0.0.1, localhost, ::1, or in process. */
  local: boolean;
  writesAllowed: boolean;
  mode: Mode;
  adminUrl: string | undefined;
  viaPrism: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // The runner's internal name wins when set (even empty); else the user's.
  const source = env.CONTRACT_BASE_URL !== undefined ? "CONTRACT_BASE_URL" : "CONVERSEIQ_BASE_URL";
  const baseUrl = env[source]?.trim() || undefined;
  const apiKey = (env.CONTRACT_API_KEY !== undefined ? env.CONTRACT_API_KEY : env.CONVERSEIQ_API_KEY) || undefined;
  const flag = (name: string) => env[name] === "1" || env[name] === "true";
  if (!baseUrl) {
    return {
      kind: "in-process",
      name: "in-process mock",
      baseUrl: undefined,
      apiKey: undefined,
      local: true,
      writesAllowed: true,
      mode: modeOf(env.CONTRACT_MODE, "strict"),
      adminUrl: undefined,
      viaPrism: false,
    };
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`${source} is not a URL: ${baseUrl}`);
  }
  if (url.username || url.password) throw new Error(`${source} must not hold credentials`);
  const local = LOOPBACK.has(url.hostname);
  const viaPrism = flag("CONTRACT_VIA_PRISM");
  return {
    kind: "http",
    name: `${url.origin}${url.pathname.replace(/\/$/, "")}${viaPrism ? " (through Prism)" : ""}`,
    baseUrl: baseUrl.replace(/\/$/, ""),
    apiKey,
    local,
    writesAllowed: local || flag("CONTRACT_ALLOW_WRITES"),
    mode: modeOf(env.CONTRACT_MODE, local ? "strict" : "tolerant"),
    adminUrl: env.CONTRACT_ADMIN_URL || (local ? url.origin : undefined),
    viaPrism,
  };
}

function modeOf(value: string | undefined, fallback: Mode): Mode {
  if (value === undefined || value === "") return fallback;
  if (value === "strict" || value === "tolerant") return value;
  throw new Error(`CONTRACT_MODE must be strict or tolerant; got ${value}`);
}

/** The warning printed when writes are off, at the start of the run and of every file. */
export function writesOffWarning(settings: Settings): string | undefined {
  if (settings.writesAllowed) return undefined;
  return (
    `⚠ contract tests: writes are OFF against ${settings.name} (not a local target). ` +
    "Every test that sends POST, PUT or DELETE is SKIPPED; set CONTRACT_ALLOW_WRITES=1 (converseiq-contract: --allow-writes) to run them."
  );
}

let fromEnvironment: Settings | undefined;

/**
 * The settings of this process's environment, read once, at first use: not when the module is imported, so
 * that a command importing the runner (which gets its settings as options) is not stopped by a variable of
 * the environment that it does not use.
 */
export function environmentSettings(): Settings {
  fromEnvironment ??= readSettings();
  return fromEnvironment;
}
