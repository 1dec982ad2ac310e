/** How the mock sends webhooks: its endpoints from the command line, and the delivery policy, with defaults. */

/** An endpoint and the events it wants (`["*"]`: all), as `--webhook URL#EVENTS` gives it. */
export interface WebhookEndpoint {
  url: string;
  events: string[];
}

export interface WebhookOptions {
  /** Subscribed at start (`--webhook`); more can be added through `POST /__admin/webhooks`. */
  endpoints: WebhookEndpoint[];
  /** One POST waits at most this long for an answer's headers. */
  timeoutMs: number;
  /** POSTs per delivery, the first included; after the last one fails, the delivery has failed. */
  attempts: number;
  /** The wait before the second attempt; it doubles before each next one (0.5 s, 1 s, 2 s, 4 s). */
  backoffMs: number;
  /** The longest wait between two attempts. */
  maxBackoffMs: number;
  /** At most this many deliveries wait or run at once; a new one beyond it is dropped and counted. */
  queueCapacity: number;
  /** How many deliveries `GET /__admin/webhooks/deliveries` shows; older ones leave the log. */
  logCapacity: number;
  /** At most this many POSTs under way at once (one per object and endpoint at a time, to keep order). */
  concurrency: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  endpoints: [],
  timeoutMs: 5000,
  attempts: 5,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  queueCapacity: 1000,
  logCapacity: 1000,
  concurrency: 8,
};

/** The options with defaults filled in; throws a RangeError naming a value that makes no sense. */
export function webhookOptions(partial: Partial<WebhookOptions> = {}): WebhookOptions {
  const options = { ...DEFAULT_WEBHOOK_OPTIONS, ...partial };
  const whole = (name: keyof WebhookOptions, min: number) => {
    const value = options[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new RangeError(`webhooks.${name} must be a whole number, at least ${min}`);
    }
  };
  whole("timeoutMs", 1);
  whole("attempts", 1);
  whole("backoffMs", 0);
  whole("maxBackoffMs", 0);
  whole("queueCapacity", 1);
  whole("logCapacity", 1);
  whole("concurrency", 1);
  return options;
}
