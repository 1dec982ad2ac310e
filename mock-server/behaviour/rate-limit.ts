/**
 * A fixed-window rate limit per API key: each key may make `limit` requests in a window of `windowMs`
 * that starts at its first request. Keys are kept as sent: auth runs first, so each is one of the accepted
 * keys the mock holds in its options anyway (a digest hid nothing, and needed node:crypto, which a browser
 * lacks, on every request); so the map has at most one entry per accepted key.
 */

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
  ) {}

  /** Counts one request with this key: 0 when it is allowed, else the whole seconds until it would be. */
  hit(apiKey: string): number {
    const now = this.clock();
    let window = this.windows.get(apiKey);
    if (!window || now >= window.start + this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(apiKey, window);
    }
    window.count++;
    if (window.count <= this.limit) return 0;
    // Rounded to the millisecond first: `start + windowMs - now` of fractional times is off by a hair, which
    // would make a whole window's wait one second longer.
    return Math.max(1, Math.ceil(Math.round(window.start + this.windowMs - now) / 1000));
  }
}
