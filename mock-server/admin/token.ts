/**
 * The optional `x-admin-token` check of `/__admin`: constant-time (the token guards control of the whole
 * state when the mock listens beyond loopback, and is not checked on the public API's hot path, unlike API
 * keys), never echoed or logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError } from "../engine/errors.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

export const ADMIN_TOKEN_HEADER = "x-admin-token";

/** Returns a check that throws 401 unless the header holds the token. */
export function createAdminTokenCheck(token: string): (header: string | string[] | undefined) => void {
  // Fixed-length digests keep the time independent of where, or whether, the strings differ.
  const expected = digest(token);
  return (header) => {
    const ok = typeof header === "string" && timingSafeEqual(expected, digest(header));
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
