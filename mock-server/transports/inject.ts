/**
 * `inject`: a request answered in process, no socket, with the result shape of Fastify's `inject()`
 * (light-my-request), so the tests written against it read the same: `statusCode`, `headers`, `body`,
 * `payload`, `rawPayload`, `json()`. A test's stream payload is read as the HTTP server reads a body (limit
 * and timeout: a stream that stalls is a 408); any other payload is handed to the engine whole.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { EngineResponse } from "../engine/types.ts";
import { type HttpServerOptions, respond } from "./http-server.ts";

export interface InjectOptions {
  /** `GET` when left out. */
  method?: string;
  /** Path and query: `/public/v1/contact?page=2`. */
  url?: string;
  /** More query parameters, added to those of `url`. */
  query?: Record<string, string | string[]> | string;
  headers?: Record<string, string | undefined>;
  /** A string or bytes as they are; a stream as it comes; any other value as JSON (`content-type` set). */
  payload?: string | Uint8Array | Readable | object;
}

export interface InjectResponse {
  statusCode: number;
  /** Lower-case names, with `content-length`. */
  headers: Record<string, string | undefined>;
  /** The body as UTF-8 text ("" when there is none); `payload` is the same. */
  body: string;
  payload: string;
  rawPayload: Buffer;
  json<T = unknown>(): T;
}

export type Inject = (options: InjectOptions | string) => Promise<InjectResponse>;

export function createInject(options: HttpServerOptions): Inject {
  return async (given) => {
    const request = typeof given === "string" ? { url: given } : given;
    const method = (request.method ?? "GET").toUpperCase();
    const url = withQuery(request.url ?? "/", request.query);
    // As light-my-request sends them, so a page that uses the Host sees one.
    const headers: Record<string, string> = { host: "localhost:80", "user-agent": "lightMyRequest" };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    let payload = request.payload;
    if (payload !== undefined && !(payload instanceof Readable) && !isBytes(payload) && typeof payload !== "string") {
      payload = JSON.stringify(payload);
      headers["content-type"] ??= "application/json";
    }
    let answer: EngineResponse;
    if (payload instanceof Readable) {
      if (headers["content-length"] === undefined) headers["transfer-encoding"] ??= "chunked";
      const answered = await respond(options, { method, url }, headers as IncomingHttpHeaders, payload);
      if (answered === null) throw new Error("inject: the payload stream failed before it ended");
      answer = answered.answer;
    } else {
      if (payload !== undefined) headers["content-length"] ??= String(Buffer.byteLength(payload as string));
      answer = await options.handle({ method, url, headers, ...(payload === undefined ? {} : { body: payload }) });
    }
    return toInjectResponse(answer, method);
  };
}

function withQuery(url: string, query: InjectOptions["query"]): string {
  if (query === undefined) return url;
  const search =
    typeof query === "string"
      ? query
      : new URLSearchParams(
          Object.entries(query).flatMap(([name, values]) =>
            (Array.isArray(values) ? values : [values]).map((value) => [name, value]),
          ),
        ).toString();
  if (search === "") return url;
  return `${url}${url.includes("?") ? "&" : "?"}${search}`;
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

function toInjectResponse(answer: EngineResponse, method: string): InjectResponse {
  const bytes =
    answer.body === undefined || method === "HEAD"
      ? Buffer.alloc(0)
      : typeof answer.body === "string"
        ? Buffer.from(answer.body)
        : Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
  const headers: Record<string, string | undefined> = { ...answer.headers };
  if (answer.status !== 204 && answer.status !== 304) headers["content-length"] = String(bytes.length);
  const text = bytes.toString("utf8");
  return {
    statusCode: answer.status,
    headers,
    body: text,
    payload: text,
    rawPayload: bytes,
    json: <T>() => JSON.parse(text) as T,
  };
}
