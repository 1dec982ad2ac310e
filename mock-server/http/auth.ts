/** The `x-api-key` check: constant-time, and the key never leaves this module (not logged, not echoed). */
import { hash, timingSafeEqual } from "node:crypto";
import { HttpError } from "./errors.ts";

// One-shot hashing: about half the cost of a Hash object, on every request.
const digest = (value: string) => hash("sha256", value, "buffer");

/** Returns a check that throws 401 unless the header holds one of the accepted keys. */
export function createKeyCheck(acceptedKeys: readonly string[]): (header: string | string[] | undefined) => void {
  // Comparing fixed-length digests keeps the time independent of where, or whether, the strings differ.
  const accepted = acceptedKeys.map(digest);
  return (header) => {
    const given = typeof header === "string" ? digest(header) : undefined;
    let ok = false;
    for (const key of accepted) if (given && timingSafeEqual(key, given)) ok = true;
    if (!ok) {
      const why =
        header === undefined ? "The x-api-key header is missing" : "The x-api-key header does not hold a valid API key";
      throw new HttpError("unauthorized", `${why}: send a valid key in x-api-key.`, [
        { in: "header", field: "x-api-key", message: header === undefined ? "is required" : "is not a valid API key" },
      ]);
    }
  };
}
