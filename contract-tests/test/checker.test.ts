/** The checker every contract request goes through: which rule each wrong answer breaks, and how it says so. */
import { describe, expect, it } from "vitest";
import { blankContact } from "../../mock-server/store/contact-fields.ts";
import { type CheckProblem, ContractViolation, createChecker } from "../support/checker.ts";
import type { WireResponse } from "../support/transport.ts";

const KEY = "secret-key-123";
const BASE = "http://api.test/public/v1";
// Every field of the spec's Contact, unset.
const contact = blankContact("5c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d", "2026-01-01T00:00:00Z");
const json = (body: unknown, status = 200, headers: Record<string, string> = {}): WireResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  text: JSON.stringify(body),
});

async function send(
  response: WireResponse,
  options: { mode?: "strict" | "tolerant"; method?: string; path?: string } = {},
) {
  const checker = createChecker({
    target: "a test double",
    mode: options.mode ?? "strict",
    baseUrl: BASE,
    apiKey: KEY,
  });
  const transport = checker.wrap(async () => response);
  const request = {
    method: options.method ?? "GET",
    url: `${BASE}${options.path ?? `/contact/${contact.guid}`}`,
    headers: { "x-api-key": KEY },
    ...(options.method === "POST" ? { body: JSON.stringify({ name: "Ann" }) } : {}),
  };
  try {
    await transport(request);
    return { checker, problems: [] as CheckProblem[], message: "" };
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    return { checker, problems: error.failure.problems, message: error.message };
  }
}

describe("the checker", () => {
  it.each([
    { given: "a documented 200 with a valid Contact", response: json(contact), want: [] },
    { given: "a 404 with the Error body", response: json({ code: "not_found", message: "no" }, 404), want: [] },
    {
      given: "a success status the operation does not document",
      response: json(contact, 201),
      want: ["status-documented", "schema"],
    },
    {
      given: "a 418 with the Error body (the spec's default response)",
      response: json({ code: "not_found", message: "no" }, 418),
      want: [],
    },
    { given: "a 500", response: json({ code: "internal_error", message: "boom" }, 500), want: ["no-server-error"] },
    {
      given: "an HTML body",
      response: { status: 200, headers: { "content-type": "text/html" }, text: "<p>hi</p>" },
      want: ["content-type", "body-json"],
    },
    { given: "a body that is not JSON", response: { ...json(contact), text: "{nope" }, want: ["body-json"] },
    { given: "a Contact without its email", response: json({ ...contact, email: undefined }), want: ["schema"] },
    { given: "a Contact with an undocumented property", response: json({ ...contact, extra: 1 }), want: ["schema"] },
    {
      given: "a response Prism flagged",
      response: json(contact, 200, { "sl-violations": '[{"message":"bad"}]' }),
      want: ["prism"],
    },
  ])("judges $given as breaking $want", async ({ response, want }) => {
    const { problems } = await send(response);
    expect([...new Set(problems.map((p) => p.rule))]).toEqual(want);
  });

  it("allows undocumented properties in tolerant mode, and reports them", async () => {
    const { checker, problems } = await send(json({ ...contact, extra: 1 }), { mode: "tolerant" });
    expect(problems).toEqual([]);
    expect([...(checker.stats.extras.get("getContact") ?? [])]).toEqual(["/extra"]);
  });

  it("wants 405 with Allow for a method the path does not document, and 404 for an unknown path", async () => {
    const error = { code: "method_not_allowed", message: "no" };
    expect((await send(json(error, 405, { allow: "GET, PUT, DELETE" }), { method: "PATCH" })).problems).toEqual([]);
    expect((await send(json(error, 405), { method: "PATCH" })).problems.map((p) => p.rule)).toEqual(["allow-header"]);
    expect((await send(json(contact), { method: "PATCH" })).problems.map((p) => p.rule)).toContain(
      "undocumented-request",
    );
    expect((await send(json({ code: "not_found", message: "no" }, 404), { path: "/nothing" })).problems).toEqual([]);
  });

  it("tells the target, the request, the response and the rule broken, and never the key", async () => {
    const { message } = await send(json({ ...contact, email: "not an email", echo: KEY }), {
      method: "POST",
      path: "/contact",
    });
    expect(message).toContain("target: a test double");
    expect(message).toContain('request:  POST /contact (createContact)  body: {"name":"Ann"}');
    expect(message).toContain(
      'response: 200 application/json; charset=utf-8, judged as the documented "200" against #/components/schemas/Contact',
    );
    expect(message).toMatch(/\[schema\] \/email must match format "email"\s+\(schema #\/properties\/email\/format\)/);
    expect(message).toContain("[REDACTED]");
    expect(message).not.toContain(KEY);
  });

  it("counts every check and keeps every failure for the summary", async () => {
    const { checker } = await send(json(contact, 500));
    expect(checker.stats.checks).toBe(1);
    expect(checker.stats.failures).toHaveLength(1);
  });
});
