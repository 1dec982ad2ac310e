/**
 * `--upstream` as users write it. Either the API's base URL, with its path, as the spec's `servers` gives
 * the live API's (`https://api.converseiq.com.au/public/v1`) and the mock prints its own
 * (`http://127.0.0.1:4010/public/v1`), or a bare origin (`https://api.example`), where the API is taken to be
 * under the spec's base path. The proxy serves the API under that base path too: a request for
 * `/public/v1/contact` goes to the base URL plus `/contact`, whichever form was given, so a base URL whose
 * path is another (`http://gateway.test/api/x`) works the same. A request outside the base path (none of
 * the API's) goes to the upstream's origin with its path as asked.
 */
import { PUBLIC_PREFIX } from "../mock-options.ts";

export interface UpstreamBase {
  /** `https://api.example`: what the report and the messages name (no path, no user or password). */
  origin: string;
  /** The API's base URL, no trailing slash: the one given, or the origin plus the spec's base path. */
  base: string;
}

/** An upstream that is not an http(s) URL; the message says what is expected. */
export class UpstreamError extends Error {
  override name = "UpstreamError";
}

/** Reads `--upstream`: the API's base URL or a bare origin, http or https, with no query or fragment. */
export function parseUpstream(text: string): UpstreamBase {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UpstreamError(`expected a URL, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UpstreamError("expected http(s)");
  if (url.search !== "" || url.hash !== "") {
    throw new UpstreamError(`expected the API's base URL, with no query or fragment, got "${text}"`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  return { origin: url.origin, base: `${url.origin}${path === "" ? PUBLIC_PREFIX : path}` };
}

/** Where a request for `url` (path and query, as the proxy received it) goes. */
export function upstreamUrl(upstream: UpstreamBase, url: string): string {
  const rest = url.slice(PUBLIC_PREFIX.length);
  const underPrefix = url.startsWith(PUBLIC_PREFIX) && (rest === "" || rest.startsWith("/") || rest.startsWith("?"));
  return underPrefix ? `${upstream.base}${rest}` : `${upstream.origin}${url}`;
}
