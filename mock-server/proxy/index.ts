/**
 * The validating proxy (`converseiq-mock proxy`, `startProxy`): stands in front of the live API, forwards
 * every request to it (forward.ts), judges the exchange against the spec (check.ts), keeps and logs the
 * violations (violations.ts, GET /__admin/violations) and reports on them (report.ts). The upstream's answer
 * is passed back unchanged. This file is the wiring only: the node:http server and the order of the steps.
 *
 * Refused without asking the upstream: a write (POST, PUT, PATCH, DELETE) unless `allowWrites`, 403
 * `forbidden`. Answered in the upstream's place: 502 `upstream_unreachable`, 504 `upstream_timeout`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_BODY_BYTES } from "../../generated/rules.ts";
import { mergeObservations, type Observations } from "../../lib/drift/observe.ts";
import { DEFAULT_BODY_TIMEOUT_MS } from "../mock-options.ts";
import { readBody } from "../transports/bodies.ts";
import { createChecker } from "./check.ts";
import { forward, own, type Upstream } from "./forward.ts";
import { buildProxyReport, type ProxyReport, writeProxyReport } from "./report.ts";
import type { ProxyOptions } from "./types.ts";
import { parseUpstream, type UpstreamBase } from "./upstream.ts";
import { createJournal, type Violation } from "./violations.ts";

export type { ProxyReport } from "./report.ts";
export type { Exchange, ProxyOptions } from "./types.ts";
export type { Violation } from "./violations.ts";

export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;
export const VIOLATIONS_PATH = "/__admin/violations";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface ValidatingProxy {
  /** `http://127.0.0.1:PORT`, the port the one it listens on (useful with port 0). */
  origin: string;
  /** The API's base URL requests go to (`https://api.example/public/v1`), and the upstream's origin. */
  upstream: UpstreamBase;
  server: Server;
  /** The violations found so far, oldest first. */
  violations(): Violation[];
  /** The report of what was seen so far (see report.ts). */
  report(): ProxyReport;
  /** Writes the report to `file` (default: the `reportFile` option) as FILE.md and FILE.json; the paths. */
  writeReport(file?: string): string[];
  /** Stops listening; then writes the report when `reportFile` was given. */
  close(): Promise<void>;
}

export async function startProxy(options: ProxyOptions): Promise<ValidatingProxy> {
  const upstream = parseUpstream(options.upstream);
  // The report names the upstream by its origin only: no path, no user or password.
  const target = upstream.origin;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  const check = createChecker();
  const journal = createJournal(options.log);
  const observations: Observations = {};
  const extras = new Map<string, Map<string, number>>();
  // Every key seen, so that the report can mask it should a message ever quote one. Kept in memory only.
  const keys = new Set<string>(options.apiKey ? [options.apiKey] : []);

  const handle = async (request: IncomingMessage): Promise<Upstream> => {
    const method = request.method as string;
    const url = request.url as string;
    const mark = url.indexOf("?");
    const path = mark < 0 ? url : url.slice(0, mark);
    if (method === "GET" && path === VIOLATIONS_PATH) {
      const body = Buffer.from(JSON.stringify({ violations: journal.violations() }));
      return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body, own: true };
    }
    if (WRITES.has(method) && !options.allowWrites) {
      return own("forbidden", `The proxy forwards no ${method}: start it with --allow-writes to let writes through.`);
    }
    // The body as the mock's own server reads it: the spec's limit (413 after draining) and a timeout for a
    // body that stops arriving (408), so a caller's bad body gets an answer, never a hang.
    const read = await readBody(
      request,
      request.headers,
      MAX_BODY_BYTES,
      options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    );
    if (read === null) return own("request_timeout", "The request's body ended before it was complete.");
    if ("refused" in read) {
      const refusal = own(read.refused.code, read.refused.message);
      if (read.refused.close) refusal.headers.connection = "close";
      return refusal;
    }
    const body = read.body ? Buffer.from(read.body.buffer, read.body.byteOffset, read.body.byteLength) : undefined;
    const callerKey = request.headers["x-api-key"];
    if (typeof callerKey === "string" && callerKey !== "") keys.add(callerKey);
    const answer = await forward(
      upstream,
      { method, url, headers: request.headers, body },
      options.apiKey,
      timeoutMs,
      options.maxUpstreamBody,
    );
    if (answer.own) return answer;
    const query = Object.fromEntries(new URLSearchParams(mark < 0 ? "" : url.slice(mark + 1)));
    const contentType = request.headers["content-type"];
    const judged = check({
      method,
      path,
      query,
      contentType,
      requestText: body ? body.toString() : "",
      status: answer.status,
      responseHeaders: answer.headers,
      responseText: answer.body.toString(),
    });
    const operationId = judged.operation?.id;
    journal.add({ operationId, method, path, status: answer.status }, judged.findings, [...keys]);
    mergeObservations(observations, judged.observations);
    if (judged.extras.length > 0) {
      const name = operationId ?? "(no operation)";
      const counts = extras.get(name) ?? new Map<string, number>();
      // By place in the body, not by item: `/data/*/x` once per item that had it.
      for (const where of judged.extras) {
        const place = where.replace(/\/\d+(?=\/|$)/g, "/*");
        counts.set(place, (counts.get(place) ?? 0) + 1);
      }
      extras.set(name, counts);
    }
    try {
      options.onExchange?.({ operationId, method, path, query, status: answer.status, body: judged.body });
    } catch (error) {
      options.log?.(`onExchange failed: ${(error as Error).message}`);
    }
    return answer;
  };

  const serve = (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    handle(request)
      .catch((error: unknown) =>
        own("upstream_unreachable", `The proxy failed to forward the request: ${(error as Error).message}`),
      )
      .then((answer) => {
        response.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
        response.end(answer.body);
        if (options.log) {
          const url = request.url as string;
          const path = url.includes("?") ? url.slice(0, url.indexOf("?")) : url;
          options.log(`${request.method} ${path} ${answer.status} ${(performance.now() - started).toFixed(1)}ms`);
        }
      });
  };

  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  const report = () => buildProxyReport(target, journal.exchanges(), journal.violations(), extras, observations);
  const writeReport = (file = options.reportFile) => {
    if (file === undefined) throw new TypeError("writeReport: no file given, and no reportFile option");
    return writeProxyReport(file, report(), [...keys]);
  };
  return {
    origin: `http://${host}:${address.port}`,
    upstream,
    server,
    violations: journal.violations,
    report,
    writeReport,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      if (options.reportFile !== undefined) writeReport();
    },
  };
}
