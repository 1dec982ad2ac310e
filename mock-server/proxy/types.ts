/**
 * The proxy's options and the one hook others subscribe to: `onExchange`, called once for every request
 * the proxy answered from the upstream (not for its own refusals: a 403 write, a 502, a 504).
 */

/** One answered exchange, as the recorder (--record) and anyone else in process receive it. */
export interface Exchange {
  /** The spec's operationId the request matched; undefined when it matched none. */
  operationId: string | undefined;
  method: string;
  /** The path as requested, without the query (`/public/v1/contact/abc`). */
  path: string;
  /** The query's parameters, as sent (a repeated name keeps its last value). */
  query: Record<string, string>;
  /** The upstream's status. */
  status: number;
  /** The upstream's body parsed as JSON, or undefined when it was empty or not JSON. */
  body: unknown;
}

export interface ProxyOptions {
  /**
   * The live API's base URL (`https://api.converseiq.com.au/public/v1`), or its origin alone
   * (`https://api.example.com`, the API then under `/public/v1`). A request for `/public/v1/contact` goes to
   * the base URL plus `/contact` (upstream.ts).
   */
  upstream: string;
  /** Default 0: any free port (the URL line printed, and `proxy.origin`, say which). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Sent as `x-api-key` when the caller sends none. Never logged, never written. */
  apiKey?: string;
  /** POST, PUT and DELETE are forwarded only with this; else answered 403 `writes_not_allowed`. */
  allowWrites?: boolean;
  /** How long (ms) to wait for the upstream's answer before a 504 `upstream_timeout`. Default 30 000. */
  timeoutMs?: number;
  /** The most bytes of an upstream body read; past it, a 502 naming the cap. Default 64 MiB (forward.ts). */
  maxUpstreamBody?: number;
  /** How long (ms) a caller's request body may stop arriving before its 408 (as the mock's `--body-timeout`). */
  bodyTimeoutMs?: number;
  /** Where the report goes on `close()` (FILE.md and FILE.json; see report.ts). None when absent. */
  reportFile?: string;
  /** Gets one line per answered request and one per violation; none when absent. */
  log?: (line: string) => void;
  /** Called once for every exchange answered by the upstream (see Exchange). */
  onExchange?: (exchange: Exchange) => void;
}
