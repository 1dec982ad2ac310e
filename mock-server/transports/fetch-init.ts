/**
 * `fetch(url, init)` read straight into the engine's request, with no `Request` made: in Node 20 a
 * `new Request(url, init)` costs about 3 µs, more than the engine takes to answer a page of contacts.
 * Read as a Request reads them, so that the engine sees the same request either way (fetch-init.test.ts
 * holds the two side by side): the URL parsed (one with credentials refused), the method checked and
 * normalised, the headers through `Headers` (a record, pairs or a `Headers`; names in lower case, values
 * trimmed, repeats joined), a body of text or bytes copied as bytes, text's default content type added,
 * and a body on a GET or HEAD refused. Each refusal is the TypeError a Request throws.
 *
 * Only for a URL (a string or a `URL`) and a body of text, bytes or none. A body of another kind (a Blob,
 * FormData, URLSearchParams, a stream), which a Request encodes with a content type of its own, is left
 * to a Request (`undefined`). The members of init that mean something only on a network (mode,
 * credentials, cache, redirect, referrer, integrity, keepalive, priority) are not read, nor checked.
 */
import type { EngineRequest } from "../engine/types.ts";
import { type BaseUrl, enginePath, headerRecord } from "./web.ts";

/** A method's name is a token (RFC 9110). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Written in upper case by a Request whatever case they are given in; any other method is kept as given. */
const NORMALISED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

const encoder = new TextEncoder();

/** The request `fetch(input, init)` makes, for the engine; `undefined` for a body only a Request reads. */
export function engineRequestFromInit(
  input: string | URL,
  init: RequestInit | undefined,
  base: BaseUrl,
): EngineRequest | undefined {
  const url = input instanceof URL ? input : new URL(input, input.startsWith("/") ? base.origin : undefined);
  if (url.username !== "" || url.password !== "") {
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.href}`);
  }
  // As WebIDL reads a ByteString: any value as its text (a null method is "null", as for a Request).
  const method = init?.method === undefined ? "GET" : normaliseMethod(String(init.method));
  const headers = init?.headers === undefined ? {} : headerRecord(new Headers(init.headers));
  const request: EngineRequest = { method, url: enginePath(url, base), headers };
  const body = init?.body;
  if (body === undefined || body === null) return request;
  if (method === "GET" || method === "HEAD") throw new TypeError("Request with GET/HEAD method cannot have body.");
  if (typeof body === "string") {
    request.body = encoder.encode(body);
    headers["content-type"] ??= "text/plain;charset=UTF-8";
  } else if (body instanceof ArrayBuffer) {
    request.body = new Uint8Array(body.slice(0));
  } else if (ArrayBuffer.isView(body) && body.buffer instanceof ArrayBuffer) {
    request.body = new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  } else {
    return undefined;
  }
  return request;
}

function normaliseMethod(given: string): string {
  if (!TOKEN.test(given)) throw new TypeError(`'${given}' is not a valid HTTP method.`);
  const upper = given.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${given}' HTTP method is unsupported.`);
  return NORMALISED_METHODS.has(upper) ? upper : given;
}
