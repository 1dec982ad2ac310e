/** The operation matcher: method x path -> operation, allowed methods and path parameters, on both specs. */
import { describe, expect, it } from "vitest";
import { createOperationMatcher, type OperationLike } from "../match-operation.ts";
import { adminSpec, listOperations } from "../spec.ts";

interface Want {
  operation: string | undefined;
  allowed: string[];
  params?: Record<string, string>;
}

const idOf = (op: { id: string } | undefined) => op?.id;

/** The matcher finds `want`'s operation and allowed methods for `method path`, and its parameters when given. */
function expectMatch(
  matcher: ReturnType<typeof createOperationMatcher<{ id: string } & OperationLike>>,
  method: string,
  path: string,
  want: Want,
): void {
  const got = matcher.match(method, path);
  expect({ operation: idOf(got.operation), allowed: got.allowed }).toEqual({
    operation: want.operation,
    allowed: want.allowed,
  });
  if (want.params) expect(got.params).toEqual(want.params);
}
const CONTACT = "5c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d";

describe("createOperationMatcher on the public spec", () => {
  const matcher = createOperationMatcher(listOperations());
  const prefixed = createOperationMatcher(listOperations(), "/public/v1");

  const cases: [string, string, Want][] = [
    ["GET", "/contact", { operation: "listContacts", allowed: ["GET", "POST"] }],
    ["post", "/contact", { operation: "createContact", allowed: ["GET", "POST"] }],
    ["GET", "/contact/", { operation: "listContacts", allowed: ["GET", "POST"] }],
    // A literal segment beats a parameter, whatever the method.
    ["GET", "/contact/search", { operation: "searchContacts", allowed: ["GET"], params: {} }],
    ["PUT", "/contact/search", { operation: undefined, allowed: ["GET"], params: {} }],
    [
      "PUT",
      `/contact/${CONTACT}`,
      { operation: "updateContact", allowed: ["GET", "PUT", "DELETE"], params: { contactId: CONTACT } },
    ],
    ["POST", "/contact/x", { operation: undefined, allowed: ["GET", "PUT", "DELETE"], params: { contactId: "x" } }],
    [
      "GET",
      "/contact/a%20b",
      { operation: "getContact", allowed: ["GET", "PUT", "DELETE"], params: { contactId: "a b" } },
    ],
    [
      "GET",
      "/contact/%E0%A4%A",
      { operation: "getContact", allowed: ["GET", "PUT", "DELETE"], params: { contactId: "%E0%A4%A" } },
    ],
    [
      "GET",
      "/chat/c1/message/m1",
      { operation: "getChatMessage", allowed: ["GET"], params: { chatId: "c1", messageId: "m1" } },
    ],
    ["GET", "/contact/search/more", { operation: undefined, allowed: [], params: {} }],
    ["GET", "/nope", { operation: undefined, allowed: [] }],
    ["GET", "/contact//", { operation: undefined, allowed: [] }],
  ];
  it.each(cases)("%s %s", (method, path, want) => expectMatch(matcher, method, path, want));

  it("matches under its prefix only", () => {
    expect(idOf(prefixed.match("GET", "/public/v1/contact/search").operation)).toBe("searchContacts");
    expect(prefixed.match("GET", "/contact").allowed).toEqual([]);
    expect(prefixed.match("GET", "/public/v1x/contact").allowed).toEqual([]);
  });

  it("lists every path that matches, the winner first", () => {
    expect(matcher.candidates("/contact/search").map((p) => p.path)).toEqual([
      "/contact/search",
      "/contact/{contactId}",
    ]);
    expect(matcher.candidates("/contact/search")[1]).toEqual({
      path: "/contact/{contactId}",
      templated: true,
      methods: ["GET", "PUT", "DELETE"],
    });
  });
});

describe("createOperationMatcher on the admin spec", () => {
  const matcher = createOperationMatcher(listOperations(adminSpec));
  const cases: [string, string, Want][] = [
    ["POST", "/__admin/reset", { operation: "resetState", allowed: ["POST"] }],
    ["GET", "/__admin/reset", { operation: undefined, allowed: ["POST"] }],
    // The literal path, though the template comes first in the spec.
    [
      "GET",
      "/__admin/webhooks/deliveries",
      { operation: "listWebhookDeliveries", allowed: ["GET", "DELETE"], params: {} },
    ],
    ["GET", "/__admin/nope", { operation: undefined, allowed: [] }],
  ];
  it.each(cases)("%s %s", (method, path, want) => expectMatch(matcher, method, path, want));
});

describe("createOperationMatcher on made-up paths", () => {
  const op = (method: string, path: string): OperationLike => ({ method, path });
  const matcher = createOperationMatcher([
    op("get", "/a/{x}/c"),
    op("get", "/a/b/{y}"),
    op("get", "/files/{name}.json"),
    op("get", "/q+(1)"),
  ]);
  const cases: [string, string | undefined, Record<string, string>][] = [
    // The first segment that differs decides: `b` is literal in the second path, `{x}` is not.
    ["/a/b/c", "/a/b/{y}", { y: "c" }],
    ["/a/z/c", "/a/{x}/c", { x: "z" }],
    ["/files/report.json", "/files/{name}.json", { name: "report" }],
    ["/files/report.txt", undefined, {}],
    ["/q+(1)", "/q+(1)", {}],
    ["/qq(1)", undefined, {}],
  ];
  it.each(cases)("%s is %s", (path, template, params) => {
    const got = matcher.match("GET", path);
    expect(got.path).toBe(template);
    expect(got.params).toEqual(params);
  });
});
