/**
 * Parsers of the CLI's flag values (and the environment variables that mirror them). Each takes the text
 * as given and returns the value, or throws a UsageError saying what the text should look like.
 */

/** A bad flag or flag value: the CLI prints the message (no stack trace) and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A whole number, written in decimal, within `[min, max]`. */
export function parseInteger(text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(value)) {
    throw new UsageError(`expected a whole number, got "${text}"`);
  }
  if (value < min || value > max) throw new UsageError(`expected a number from ${min} to ${max}, got ${value}`);
  return value;
}

/** `50-200` (a range of milliseconds) or `100` (always 100 ms). */
export function parseLatency(text: string): { min: number; max: number } {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!match) throw new UsageError(`expected MIN-MAX or MS in milliseconds (e.g. 50-200), got "${text}"`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) throw new UsageError(`the range ${text} ends before it starts`);
  return { min, max };
}

/** A share from 0 to 1 (`0.05`), or a percentage (`5%`). */
export function parseRate(text: string): number {
  const trimmed = text.trim();
  const percent = trimmed.endsWith("%");
  const number = percent ? trimmed.slice(0, -1) : trimmed;
  const value = Number(number) / (percent ? 100 : 1);
  if (number === "" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`expected a share from 0 to 1 (e.g. 0.05) or a percentage (5%), got "${text}"`);
  }
  return value;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const WINDOWS: Record<string, number> = {
  s: SECOND,
  sec: SECOND,
  second: SECOND,
  m: MINUTE,
  min: MINUTE,
  minute: MINUTE,
  h: HOUR,
  hour: HOUR,
};

/** `600/min`, `10/s`, `5000/hour`, or `600` (per minute): requests per window, per API key. */
export function parseRateLimit(text: string): { limit: number; windowMs: number } {
  const match = /^\s*(\d+)\s*(?:\/\s*([a-z]+)\s*)?$/i.exec(text);
  const windowMs = WINDOWS[(match?.[2] ?? "min").toLowerCase()];
  const limit = Number(match?.[1]);
  if (!match || windowMs === undefined || !Number.isSafeInteger(limit) || limit < 1) {
    throw new UsageError(`expected N/s, N/min or N/hour with N at least 1 (e.g. 600/min), got "${text}"`);
  }
  return { limit, windowMs };
}

/** `*` or `true` (any origin), `false` or `off` (no CORS), or a comma-separated list of origins. */
export function parseCors(text: string): boolean | string[] {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "*" || trimmed === "true" || trimmed === "on") return true;
  if (trimmed === "false" || trimmed === "off" || trimmed === "none") return false;
  const origins = parseList(text);
  if (origins.length === 0) throw new UsageError(`expected *, off, or origins separated by commas, got "${text}"`);
  for (const origin of origins) parseOrigin(origin);
  return origins;
}

/** A boolean environment variable: 1/true/yes/on or 0/false/no/off. */
export function parseBoolean(text: string): boolean {
  const trimmed = text.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(trimmed)) return true;
  if (["0", "false", "no", "off", ""].includes(trimmed)) return false;
  throw new UsageError(`expected 1/true or 0/false, got "${text}"`);
}

/** Comma-separated values, trimmed, empty ones dropped. */
export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** A web origin, scheme and host (and port): `http://localhost:3000`. */
export function parseOrigin(text: string): string {
  const origin = text.trim();
  if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
    throw new UsageError(`"${origin}" is not an origin: write scheme and host, e.g. http://localhost:3000`);
  }
  return origin;
}
