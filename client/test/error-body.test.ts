/** An error answer whose body is not an API error gets the code the spec gives its status (`x-status`). */
import { describe, expect, it } from "vitest";
import { toApiError } from "../error-body.ts";

describe("toApiError", () => {
  it.each([
    [400, "invalid_request"],
    [401, "unauthorized"],
    [404, "not_found"],
    [405, "method_not_allowed"],
    [408, "request_timeout"],
    [409, "email_taken"],
    [413, "payload_too_large"],
    [415, "unsupported_media_type"],
    [429, "rate_limited"],
    [500, "internal_error"],
    [503, "service_unavailable"],
    [403, "forbidden"],
    [502, "upstream_unreachable"],
    [504, "upstream_timeout"],
    // Statuses the spec gives no code: by class.
    [418, "invalid_request"],
    [507, "internal_error"],
  ])("calls an opaque %i answer %s", (status, code) => {
    expect(toApiError(status, "", "<html>proxy</html>")).toMatchObject({ code });
  });

  it("keeps a body that is an API error as it is", () => {
    const body = { code: "not_found", message: "No contact has this GUID." };
    expect(toApiError(500, "", JSON.stringify(body))).toEqual(body);
  });
});
