/**
 * A fixed-window rate limit per API key: each key may make `limit` requests in a window of `windowMs`
 * that starts at its first request. Keys are kept as SHA-256 digests, never as they were sent.
 */
import { createHash } from "node:crypto";

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
  ) {}

  /** Counts one request with this key: 0 when it is allowed, else the whole seconds until it would be. */
  hit(apiKey: string): number {
    const id = createHash("sha256").update(apiKey).digest("base64");
    const now = this.clock();
    let window = this.windows.get(id);
    if (!window || now >= window.start + this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(id, window);
    }
    window.count++;
    if (window.count <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }
}
