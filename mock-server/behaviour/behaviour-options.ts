/**
 * The behaviour switches a mock can be started with: all off by default except CORS. `MockOptions`
 * extends these; `checkBehaviourOptions` refuses values that make no sense, before the server starts.
 */

/** The longest delay the mock adds to one answer, from `Prefer: delay=` or `--latency`. */
export const MAX_DELAY_MS = 10_000;

export interface BehaviourOptions {
  /** A random delay (ms, from `min` to `max`) before every public answer is sent. */
  latency?: { min: number; max: number };
  /** The share (0..1) of public requests that answer a documented fault (429, 500 or 503) and do nothing. */
  errorRate?: number;
  /** At most `limit` public requests per API key in each window of `windowMs`; beyond it 429 `rate_limited`. */
  rateLimit?: { limit: number; windowMs: number };
  /** CORS: `true` (the default) allows any origin, a list allows those origins, `false` sends no CORS headers. */
  cors?: boolean | string[];
  /** The random source of latency and faults, in [0, 1); by default a generator seeded with the data's seed. */
  random?: () => number;
}

/** The behaviour fields of `options` that are set, checked; throws a RangeError that says what to fix. */
export function checkBehaviourOptions(options: BehaviourOptions): BehaviourOptions {
  const { latency, errorRate, rateLimit, cors, random } = options;
  if (latency !== undefined) {
    const { min, max } = latency;
    if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min || max > MAX_DELAY_MS) {
      throw new RangeError(`latency must be MIN-MAX milliseconds with 0 <= MIN <= MAX <= ${MAX_DELAY_MS}`);
    }
  }
  if (errorRate !== undefined && !(errorRate >= 0 && errorRate <= 1)) {
    throw new RangeError("errorRate must be a number from 0 to 1");
  }
  if (rateLimit !== undefined) {
    if (!Number.isInteger(rateLimit.limit) || rateLimit.limit < 1) {
      throw new RangeError("rateLimit.limit must be a whole number of requests, at least 1");
    }
    if (!Number.isFinite(rateLimit.windowMs) || rateLimit.windowMs < 1) {
      throw new RangeError("rateLimit.windowMs must be at least 1 millisecond");
    }
  }
  if (Array.isArray(cors) && cors.some((origin) => origin.trim() === "")) {
    throw new RangeError("cors origins must not be empty");
  }
  return {
    ...(latency !== undefined ? { latency } : {}),
    ...(errorRate !== undefined ? { errorRate } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(cors !== undefined ? { cors } : {}),
    ...(random !== undefined ? { random } : {}),
  };
}
