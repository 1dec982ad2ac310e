/**
 * `MockAdminError`: what a transport's admin methods (`reset`, `restore`, `override`, ...) throw when the
 * admin API refuses a call. Its own module, with no Node API, so that the in-process transports use it too.
 */

/** Raised when the admin API refuses a call (a bad seed size, an invalid snapshot, a wrong admin token). */
export class MockAdminError extends Error {
  override name = "MockAdminError";
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    // The mock's error body: `{ code, message, details? }`.
    const message = (body as { message?: unknown } | undefined)?.message;
    super(`${operation}: the mock answered ${status}${typeof message === "string" ? `: ${message}` : ""}`);
  }
}
