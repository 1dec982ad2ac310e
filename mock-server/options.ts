/** Everything the mock can be told at start, with its defaults. The CLI and tests both build these. */
import { DEFAULT_SEED, type SeedSizes } from "./store/seed.ts";

export interface MockOptions {
  /** API keys accepted in `x-api-key`. */
  apiKeys: string[];
  /** Seed and sizes of the seeded data. */
  seed: SeedSizes;
  /** Log one line per request (pino). */
  logger: boolean;
  /** Clock and id source of new objects; tests fix them. */
  now?: () => string;
  newId?: () => string;
}

export const DEFAULT_API_KEY = "mock-api-key";
/** Where the public API lives on the mock, as on the live server (`/public/v1`). */
export const PUBLIC_PREFIX = "/public/v1";
/** The largest request body accepted; larger ones answer 413. */
export const BODY_LIMIT = 1024 * 1024;

export function withDefaults(options: Partial<MockOptions> = {}): MockOptions {
  return {
    apiKeys: options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_API_KEY],
    seed: { ...DEFAULT_SEED, ...options.seed },
    logger: options.logger ?? false,
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
  };
}
