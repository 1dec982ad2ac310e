/**
 * The checks of a mock that listens on a socket (the HTTP server sets them; the in-process transports,
 * whose caller is the program itself, do not): what keeps a web page the developer happens to open from
 * driving the mock running on their machine.
 *
 * - The Host check, stage 0, before everything else: a page on a name the attacker controls can point that
 *   name at 127.0.0.1 (DNS rebinding) and then read and write the mock as its own origin, whatever CORS
 *   says. The browser still sends that name in `Host`, so only names the mock was told of are answered:
 *   `localhost` (and `*.localhost`), any IP address (a rebinding needs a name), the host it listens on, and
 *   those of `--allowed-hosts` (`.example.com` for the name and its subdomains), as Vite and
 *   webpack-dev-server do. Any other gets 403 `forbidden`, with no CORS headers and no journal entry.
 * - The admin write check (in the admin API's auth, before the token): a request that changes state (any
 *   method but GET, HEAD and OPTIONS) is refused 403 when its `Origin` is neither the mock's own (the
 *   origin of its `Host`) nor one of `--admin-cors`; and, when the mock has no admin token, when its body is
 *   not declared `application/json`: a page can send a POST with no preflight only as a form or plain
 *   text, so a JSON content type proves a preflight (which the admin API grants to no unlisted origin) or a
 *   caller that is no browser. This is the Origin check Django and Rails make.
 *
 * Portable: no Node API, so that the engine still bundles for a browser.
 */
import { HttpError } from "../../http-error.ts";
import type { ParsedRequest } from "../request.ts";
import { mediaType } from "./body.ts";

/** The checks of a mock served over HTTP (engine option `httpGuard`). */
export interface HttpGuardOptions {
  /**
   * Host names answered beside `localhost` and IP addresses: exact names, or `.example.com` for the name
   * and its subdomains; `"all"` answers any Host (the check off). Read on every request: the server adds
   * the name it listens on once it knows it.
   */
  allowedHosts: "all" | ReadonlySet<string>;
  /** Web origins that may call the admin API (`--admin-cors`), beside the mock's own. */
  adminOrigins: readonly string[];
  /** Whether the mock has an admin token: then a write need not be JSON (the token is the proof). */
  adminToken: boolean;
}

/** The name of a `Host` header, lower case, without its port or a trailing dot; brackets kept for IPv6. */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  const name = colon < 0 ? host : host.slice(0, colon);
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

const IPV4 = /^(?:\d{1,3})(?:\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+(?:%[\w.~-]+)?\]$/;

/** Whether `name` (as `hostName` gives it) is an IP address, which no DNS answer can rebind. */
export function isIpAddress(name: string): boolean {
  return IPV4.test(name) || IPV6.test(name);
}

/** Whether a Host header names a host the mock answers, by `allowed` (see `HttpGuardOptions`). */
export function isHostAllowed(header: string | undefined, allowed: "all" | ReadonlySet<string>): boolean {
  // No Host at all is no browser's request (every browser sends one), so no rebinding either.
  if (allowed === "all" || header === undefined) return true;
  const name = hostName(header);
  if (name === "localhost" || name.endsWith(".localhost") || isIpAddress(name)) return true;
  if (allowed.has(name)) return true;
  for (const entry of allowed) {
    if (entry.startsWith(".") && (name === entry.slice(1) || name.endsWith(entry))) return true;
  }
  return false;
}

/** Stage 0: a 403 for a request whose Host is not one the mock answers; undefined for any other. */
export function checkHost(request: ParsedRequest, allowed: "all" | ReadonlySet<string>): HttpError | undefined {
  const host = request.headers.host;
  if (isHostAllowed(host, allowed)) return undefined;
  return new HttpError(
    "forbidden",
    `This mock does not answer the host ${JSON.stringify(hostName(host as string))}: it answers localhost, IP addresses and the hosts of --allowed-hosts (start it with --allowed-hosts ${hostName(host as string)} to allow this one).`,
    [{ in: "header", field: "host", message: "is not a host this mock answers" }],
  );
}

/** Methods that change no state: never refused by the admin write check. */
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Returns the admin write check: throws 403 `forbidden` for a write a web page could have sent (see above). */
export function createAdminWriteCheck(options: HttpGuardOptions): (request: ParsedRequest) => void {
  const listed = new Set(options.adminOrigins);
  const ownOrigin = (origin: string, host: string | undefined) => {
    if (host === undefined) return false;
    const own = host.trim().toLowerCase();
    return origin === `http://${own}` || origin === `https://${own}`;
  };
  return (request) => {
    if (SAFE.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined && !listed.has(origin) && !ownOrigin(origin.toLowerCase(), request.headers.host)) {
      throw new HttpError(
        "forbidden",
        `The admin API takes no changes from the web origin ${origin}: start the mock with --admin-cors ${origin} to allow it.`,
        [{ in: "header", field: "origin", message: "is not an origin allowed to change the mock's state" }],
      );
    }
    if (options.adminToken) return;
    const type = request.headers["content-type"];
    if (type === undefined || mediaType(type) !== "application/json") {
      throw new HttpError(
        "forbidden",
        `An admin request that changes state must be sent as application/json (got ${type ?? "no Content-Type"}), even with no body: a web page can send any other without asking.`,
        [{ in: "header", field: "content-type", message: "must be application/json" }],
      );
    }
  };
}
