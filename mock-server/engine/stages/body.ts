/**
 * The body rules: only JSON, in UTF-8 (anything else, a `charset` other than `utf-8` too, is 415), at most the route's limit (413), and JSON that is
 * well-formed and holds no `__proto__` key, nor a `constructor` with a `prototype` (400 `invalid_json`:
 * such keys could reach the prototype of every object). An operation that takes no body ignores a body
 * that is absent or empty, whatever its Content-Type says (a DELETE sent with a client's default
 * `Content-Type: application/json`).
 *
 * The rules go in this order: the media type first (a body of another type is a 415 whatever its size),
 * then the size (a 413 before any text is decoded or parsed), then the text (400). A body wrong in several
 * ways gets the first rule's answer; the order is kept so that answers stay byte for byte what clients
 * already get.
 */
import { HttpError } from "../../http-error.ts";
import type { ParsedRequest } from "../request.ts";

/** Methods whose body is never read: whatever comes with a GET, HEAD or TRACE is ignored, not refused. */
const BODYLESS = new Set(["GET", "HEAD", "TRACE"]);

/** `type/subtype` of a Content-Type, lower case, or undefined when it is not a media type at all. */
export function mediaType(header: string): string | undefined {
  const semicolon = header.indexOf(";");
  const full = semicolon < 0 ? header : header.slice(0, semicolon);
  const slash = full.indexOf("/");
  if (slash < 0) return undefined;
  const type = full.slice(0, slash).trimStart().toLowerCase();
  const subtype = full
    .slice(slash + 1)
    .trimEnd()
    .toLowerCase();
  return TOKEN.test(type) && TOKEN.test(subtype) ? `${type}/${subtype}` : undefined;
}
const TOKEN = /^[\w!#$%&'*+.^`|~-]+$/;

/** The `charset` parameter of a Content-Type, lower case and unquoted, or undefined when it has none. */
export function charsetOf(header: string): string | undefined {
  for (const parameter of header.split(";").slice(1)) {
    const equals = parameter.indexOf("=");
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    return parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
  }
  return undefined;
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** The body's size in bytes, counting a text body as UTF-8 (encoded only when its length leaves a doubt). */
function byteLength(body: Uint8Array | string, limit: number): number {
  if (typeof body !== "string") return body.byteLength;
  // A UTF-16 unit is at most 3 bytes of UTF-8.
  return body.length * 3 <= limit ? body.length : encoder.encode(body).byteLength;
}

const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

/** True when a parsed value holds a `__proto__` key, or a `constructor` object with a `prototype` key. */
function poisoned(value: object): boolean {
  const has = (o: object, key: string) => Object.hasOwn(o, key);
  let next: object[] = [value];
  while (next.length > 0) {
    const nodes = next;
    next = [];
    for (const node of nodes) {
      if (has(node, "__proto__")) return true;
      const ctor = (node as { constructor?: unknown }).constructor;
      if (has(node, "constructor") && typeof ctor === "object" && ctor !== null && has(ctor, "prototype")) return true;
      for (const key in node) {
        const child = (node as Record<string, unknown>)[key];
        if (child && typeof child === "object") next.push(child);
      }
    }
  }
  return false;
}

const notJson = () =>
  new HttpError("invalid_json", "The body is not well-formed JSON (or holds a forbidden __proto__ / constructor key).");

/** JSON text to a value; throws 400 `invalid_json` for text that is not JSON or holds a poisoned key. */
export function parseJson(text: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw notJson();
  }
  if (value === null || typeof value !== "object") return value;
  // The scan only when the text could hold such a key: most bodies never pay for it. Without a `\u` escape
  // the key can only be written plainly, and a substring search is far quicker than the patterns over a
  // large body (380 ms of a 45 MB state import).
  const escaped = json.includes("\\u");
  const suspect = escaped
    ? SUSPECT_PROTO.test(json) || SUSPECT_CONSTRUCTOR.test(json)
    : json.includes('"__proto__"') || json.includes('"constructor"');
  if (suspect && poisoned(value)) throw notJson();
  return value;
}

export interface BodyOptions {
  /** The largest body taken, in bytes. */
  limit: number;
  /** The operation takes no body: one absent or empty is ignored, whatever the Content-Type says. */
  ignoreEmpty: boolean;
  /**
   * No route answers the request (a 404 or 405 to come): a body whose Content-Type is a well-formed media
   * type other than JSON is left unread instead of refused: the answer is the 404 or 405 whatever the body
   * holds. A JSON body is still read (bad JSON is still a 400), and a malformed Content-Type is still a 415.
   */
  noRoute?: boolean;
}

/**
 * The request's body as a value, or undefined when there is none to read. Throws the 415, 413 or 400 of
 * the first rule it breaks, in the order above.
 */
export function readBody(request: ParsedRequest, options: BodyOptions): unknown {
  if (BODYLESS.has(request.method)) return undefined;
  const { body } = request;
  const empty = body === undefined || body.length === 0;
  const contentType = request.headers["content-type"];
  if (empty && (options.ignoreEmpty || contentType === undefined)) return undefined;
  // `Content-Type: undefined` (a header set from an unset variable) is no media type: a 415 naming it.
  const type = contentType === undefined || contentType === "undefined" ? undefined : mediaType(contentType);
  if (type !== "application/json") {
    if (options.noRoute && (contentType === undefined || type !== undefined)) return undefined;
    throw new HttpError(
      "unsupported_media_type",
      `Send the body as application/json; got ${request.headers["content-type"] ?? "no Content-Type"}.`,
    );
  }
  const charset = charsetOf(contentType as string);
  if (charset !== undefined && charset !== "utf-8") {
    throw new HttpError(
      "unsupported_media_type",
      `Send the body as application/json in UTF-8 (charset=utf-8, or no charset); got charset=${charset}.`,
    );
  }
  if (empty) {
    throw new HttpError("invalid_json", "The body is empty, but its Content-Type says JSON: send a JSON object.");
  }
  if (byteLength(body, options.limit) > options.limit) {
    throw new HttpError(
      "payload_too_large",
      `The request body is over the ${options.limit}-byte limit; nothing was changed.`,
    );
  }
  return parseJson(typeof body === "string" ? body : utf8.decode(body));
}
