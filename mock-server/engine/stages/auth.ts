/**
 * Auth: the `x-api-key` check of every public operation (401 without one of the accepted keys). The key
 * never leaves this module: not logged, not echoed.
 */
import { HttpError } from "../../http-error.ts";

/**
 * Returns a check that throws 401 unless the header holds one of the accepted keys, or a key `alsoAccepted`
 * says yes to (a workspace's, which come and go while the mock runs).
 */
export function createKeyCheck(
  acceptedKeys: readonly string[],
  alsoAccepted: (key: string) => boolean = () => false,
): (header: string | string[] | undefined) => void {
  // A plain lookup, not a constant-time compare of digests: the mock's keys are made up for local use and
  // guard nothing worth a timing attack, and hashing every request's key was 4% of the mock's time on a
  // page (by the profile of `npm run bench`'s GET list).
  const accepted = new Set(acceptedKeys);
  return (header) => {
    if (Array.isArray(header) || (typeof header === "string" && repeated(header, accepted, alsoAccepted))) {
      throw new HttpError(
        "unauthorized",
        "The x-api-key header was sent more than once: send it once, with one valid key.",
        [{ in: "header", field: "x-api-key", message: "was sent more than once" }],
      );
    }
    if (typeof header !== "string" || !(accepted.has(header) || alsoAccepted(header))) {
      const why =
        header === undefined ? "The x-api-key header is missing" : "The x-api-key header does not hold a valid API key";
      throw new HttpError("unauthorized", `${why}: send a valid key in x-api-key.`, [
        { in: "header", field: "x-api-key", message: header === undefined ? "is required" : "is not a valid API key" },
      ]);
    }
  };
}

/**
 * Whether a header that is no key is the values of several `x-api-key` headers: Node joins repeated
 * headers with ", " (and a key never starts or ends with a space, so no key holds the join on its own).
 */
function repeated(header: string, accepted: ReadonlySet<string>, alsoAccepted: (key: string) => boolean): boolean {
  if (!header.includes(", ") || accepted.has(header) || alsoAccepted(header)) return false;
  return header.split(", ").length > 1;
}
