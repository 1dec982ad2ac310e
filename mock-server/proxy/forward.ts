/**
 * Sends one request on to the upstream and reads its answer whole: status, headers (minus the hop-by-hop
 * ones, which belong to each connection) and body bytes, untouched. An upstream that cannot be reached is
 * a 502 `upstream_unreachable`, one that does not answer within the timeout a 504 `upstream_timeout`, both
 * in the spec's Error shape. An upstream body past the cap (64 MiB by default, `--max-upstream-body`) is
 * not read further: the answer is a 502 naming the cap, so one huge answer cannot take the proxy's memory.
 * The key is sent, never put in a message.
 */
import type { IncomingHttpHeaders } from "node:http";
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import { errorBody } from "../http-error.ts";
import { type UpstreamBase, upstreamUrl } from "./upstream.ts";

/** What the upstream answered, or the proxy's own answer in its place. */
export interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** True when the answer is the proxy's (403, 408, 413, 502, 504), not the upstream's. */
  own: boolean;
}

/** The most of an upstream's body the proxy reads by default (`--max-upstream-body`): 64 MiB. */
export const DEFAULT_MAX_UPSTREAM_BODY = 64 * 1024 * 1024;

/** An upstream body past the cap: reading stopped there. */
class UpstreamTooLarge extends Error {}

/** Reads a response's body whole, or throws UpstreamTooLarge past `max` bytes (and stops reading). */
async function readCapped(response: Response, max: number): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > max) {
    await response.body?.cancel();
    throw new UpstreamTooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > max) {
      await reader.cancel();
      throw new UpstreamTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received);
}

/** Headers of one connection (RFC 9110 §7.6.1), neither forwarded nor passed back. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

export interface ForwardRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

export async function forward(
  upstream: UpstreamBase,
  request: ForwardRequest,
  apiKey: string | undefined,
  timeoutMs: number,
  maxBodyBytes: number = DEFAULT_MAX_UPSTREAM_BODY,
): Promise<Upstream> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  if (!headers.has("x-api-key") && apiKey !== undefined) headers.set("x-api-key", apiKey);
  // fetch decompresses and would hand back bytes that no longer match the upstream's content-encoding.
  headers.set("accept-encoding", "identity");
  const target = upstreamUrl(upstream, request.url);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(target, {
      method: request.method,
      headers,
      redirect: "manual",
      signal,
      ...(request.body && request.body.length > 0 ? { body: new Uint8Array(request.body) } : {}),
    });
    const body = await readCapped(response, maxBodyBytes);
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      // fetch has already undone any content-encoding the upstream sent despite `identity`: the bytes
      // passed on are the decoded ones, so the header that named the encoding goes too.
      if (!HOP_BY_HOP.has(name) && name !== "set-cookie" && name !== "content-encoding") out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    return { status: response.status, headers: out, body, own: false };
  } catch (error) {
    if (error instanceof UpstreamTooLarge) {
      return own(
        "upstream_unreachable",
        `The upstream's answer is over the ${maxBodyBytes}-byte cap on upstream bodies (--max-upstream-body); ` +
          "the proxy stopped reading it.",
      );
    }
    if (signal.aborted) {
      return own("upstream_timeout", `The upstream did not answer within ${timeoutMs} ms.`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return own("upstream_unreachable", `The upstream ${upstream.origin} could not be reached (${why}).`);
  }
}

/** The proxy's own answer, in the spec's Error shape. */
export function own(
  code: "upstream_timeout" | "upstream_unreachable" | "forbidden" | "request_timeout" | "payload_too_large",
  message: string,
): Upstream {
  const body = Buffer.from(JSON.stringify(errorBody(code, message)));
  return {
    status: STATUS_BY_CODE[code],
    headers: { "content-type": "application/json; charset=utf-8" },
    body,
    own: true,
  };
}
