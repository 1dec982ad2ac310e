/**
 * The command-line flags (and environment variables) of the behaviour switches, read into options.
 * A flag wins over its variable. Every bad value is an Error that names the flag and shows a good one.
 *
 *   --latency 50-200         MOCK_LATENCY       a random delay in that range of ms before each public answer
 *   --error-rate 0.05        MOCK_ERROR_RATE    that share of public requests answer 429, 500 or 503
 *   --rate-limit 600/min     MOCK_RATE_LIMIT    requests per API key per s, min or h; then 429 + Retry-After
 *   --cors a.test,b.test     MOCK_CORS          the origins allowed (default: any); --no-cors or "false": none
 */
import { type BehaviourOptions, checkBehaviourOptions, MAX_DELAY_MS } from "./options.ts";

/** The flags for `node:util` `parseArgs`, to spread into the CLI's own. */
export const behaviourArgs = {
  latency: { type: "string" },
  "error-rate": { type: "string" },
  "rate-limit": { type: "string" },
  cors: { type: "string" },
  "no-cors": { type: "boolean" },
} as const;

/** Lines for `--help`. */
export const behaviourHelp = `Behaviour switches (off by default, except CORS):
  --latency MIN-MAX      random delay in ms before each public answer, e.g. 50-200 (max ${MAX_DELAY_MS})  [MOCK_LATENCY]
  --error-rate RATE      share of public requests that fail with 429, 500 or 503, e.g. 0.05   [MOCK_ERROR_RATE]
  --rate-limit N/UNIT    requests per API key per s, min or h, e.g. 600/min; then 429     [MOCK_RATE_LIMIT]
  --cors ORIGINS         comma-separated origins allowed by CORS (default: any)                 [MOCK_CORS]
  --no-cors              send no CORS headers and answer no preflight (MOCK_CORS=false)
Per request: the Prefer header (code=404, example=NAME, delay=MS).`;

export interface BehaviourFlags {
  latency?: string | undefined;
  "error-rate"?: string | undefined;
  "rate-limit"?: string | undefined;
  cors?: string | undefined;
  "no-cors"?: boolean | undefined;
}

export function parseBehaviourFlags(
  flags: BehaviourFlags,
  env: Record<string, string | undefined> = process.env,
): BehaviourOptions {
  const latency = flags.latency ?? env.MOCK_LATENCY;
  const errorRate = flags["error-rate"] ?? env.MOCK_ERROR_RATE;
  const rateLimit = flags["rate-limit"] ?? env.MOCK_RATE_LIMIT;
  const cors = flags["no-cors"] ? "false" : (flags.cors ?? env.MOCK_CORS);
  return checkBehaviourOptions({
    ...(latency !== undefined ? { latency: parseLatency(latency) } : {}),
    ...(errorRate !== undefined ? { errorRate: parseErrorRate(errorRate) } : {}),
    ...(rateLimit !== undefined ? { rateLimit: parseRateLimit(rateLimit) } : {}),
    ...(cors !== undefined ? { cors: parseCors(cors) } : {}),
  });
}

/** `50-200` (a range of ms) or `100` (always that many). */
export function parseLatency(value: string): { min: number; max: number } {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (!match || max < min || max > MAX_DELAY_MS) {
    throw new Error(`--latency wants MIN-MAX milliseconds, 0 to ${MAX_DELAY_MS}, such as 50-200; got "${value}".`);
  }
  return { min, max };
}

/** `0.05`, or `5%`. */
export function parseErrorRate(value: string): number {
  const text = value.trim();
  const rate = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (text === "" || text === "%" || !(rate >= 0 && rate <= 1)) {
    throw new Error(`--error-rate wants a number from 0 to 1 (or a percentage), such as 0.05; got "${value}".`);
  }
  return rate;
}

const UNITS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
};

/** `600/min`, `10/s`, `5000/h`. */
export function parseRateLimit(value: string): { limit: number; windowMs: number } {
  const match = /^\s*(\d+)\s*\/\s*([a-z]+)\s*$/i.exec(value);
  const limit = Number(match?.[1]);
  const unit = match?.[2]?.toLowerCase() ?? "";
  // Plurals too: `secs`, `minutes`, `hours`.
  const windowMs = UNITS[unit] ?? UNITS[unit.replace(/s$/, "")];
  if (!match || windowMs === undefined || limit < 1) {
    throw new Error(`--rate-limit wants requests per s, min or h, such as 600/min; got "${value}".`);
  }
  return { limit, windowMs };
}

/** `false`/`off`/`0`: no CORS; `true`/`on`/`1`/`*`: any origin; else a comma-separated list of origins. */
export function parseCors(value: string): boolean | string[] {
  const text = value.trim().toLowerCase();
  if (["false", "off", "0", "no"].includes(text)) return false;
  if (["true", "on", "1", "yes", "*"].includes(text)) return true;
  const origins = value
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
  if (origins.length === 0) throw new Error(`--cors wants origins separated by commas, such as http://localhost:5173.`);
  return origins;
}
