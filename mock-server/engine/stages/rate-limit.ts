/**
 * Rate limit (`--rate-limit N/WINDOW`): at most N public requests per API key in each window; beyond it
 * 429 `rate_limited` with `Retry-After`. Runs after auth, so the key counted is an accepted one, and a
 * request without a key neither counts nor is limited.
 */
import { RateLimiter } from "../../behaviour/rate-limit.ts";
import { HttpError } from "../../http-error.ts";

export type RateLimitStage = (apiKey: string) => void;

export function createRateLimitStage(
  rateLimit: { limit: number; windowMs: number } | undefined,
  clock: () => number,
): RateLimitStage | undefined {
  if (!rateLimit) return undefined;
  const limiter = new RateLimiter(rateLimit.limit, rateLimit.windowMs, clock);
  return (apiKey) => {
    const retryAfter = limiter.hit(apiKey);
    if (retryAfter === 0) return;
    throw new HttpError(
      "rate_limited",
      `Rate limit exceeded for this API key; retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
      [],
      { "retry-after": String(retryAfter) },
    );
  };
}
