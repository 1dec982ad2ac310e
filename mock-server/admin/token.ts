/**
 * The optional `x-admin-token` check of `/__admin`: constant-time (the token guards control of the whole
 * state when the mock listens beyond loopback, and is not checked on the public API's hot path, unlike API
 * keys), never echoed or logged. Portable: no `node:crypto`, so that the engine bundles for a browser.
 */
import { HttpError } from "../http-error.ts";

export const ADMIN_TOKEN_HEADER = "x-admin-token";

const encoder = new TextEncoder();

/**
 * Whether `given` holds the same bytes as `expected`, in a time that depends on `given`'s length only: the
 * loop runs over what was sent, reading the token cyclically, so neither where the values differ nor the
 * token's length shows in the time.
 */
export function sameBytes(expected: Uint8Array, given: Uint8Array): boolean {
  let diff = expected.length ^ given.length;
  const n = expected.length || 1;
  for (let i = 0; i < given.length; i++) diff |= (given[i] ?? 0) ^ (expected[i % n] ?? 0);
  return diff === 0;
}

/** Returns a check that throws 401 unless the header holds the token. */
export function createAdminTokenCheck(token: string): (header: string | string[] | undefined) => void {
  const expected = encoder.encode(token);
  return (header) => {
    const ok = typeof header === "string" && sameBytes(expected, encoder.encode(header));
    if (ok) return;
    const missing = header === undefined;
    throw new HttpError(
      "unauthorized",
      missing
        ? `The ${ADMIN_TOKEN_HEADER} header is missing: this mock runs with --admin-token, so /__admin needs it.`
        : `The ${ADMIN_TOKEN_HEADER} header does not hold the mock's admin token.`,
      [{ in: "header", field: ADMIN_TOKEN_HEADER, message: missing ? "is required" : "is not the admin token" }],
    );
  };
}
