/**
 * A check whose prerequisite operation breaks the contract is not run, and says which operation it needed;
 * a failure of the check's own operation stays a failure (support/tests.ts: `unmetOperation`).
 */
import { describe, expect, it } from "vitest";
import { ContractViolation, type Failure } from "../support/checker.ts";
import { UnmetNeed, unmetOperation } from "../support/tests.ts";

const violation = (operation: string) => {
  const failure: Failure = {
    target: "in-process mock",
    operation,
    request: `GET /contact (${operation})`,
    response: '200 application/json  body: {"items":[]}',
    problems: [{ rule: "schema", message: "(body) must have required property 'data'" }],
  };
  return new ContractViolation(failure);
};

describe("a check that meets another operation's broken answer", () => {
  it("is not run when the broken operation is not the one it checks", () => {
    expect(unmetOperation(violation("listContacts"), ["getContact"])).toBe("listContacts");
    expect(unmetOperation(new UnmetNeed("createChat", "POST /chat answered 500"), ["listChatMessages"])).toBe(
      "createChat",
    );
  });

  it("fails when the broken operation is the one it checks", () => {
    expect(unmetOperation(violation("listContacts"), ["listContacts"])).toBeUndefined();
  });

  it("fails on its own assertions, and on requests the spec has no operation for", () => {
    expect(unmetOperation(new Error("expected 200 to be 401"), ["getContact"])).toBeUndefined();
    expect(unmetOperation(violation("(no operation)"), [])).toBeUndefined();
  });

  it("finds the operation in fast-check's report of a failed property, by its cause or its message", () => {
    const wrapped = new Error(
      `Property failed after 1 tests\nGot ContractViolation: ${violation("listContacts").message}`,
    );
    expect(unmetOperation(wrapped, [])).toBe("listContacts");
    expect(unmetOperation(new Error("Property failed", { cause: violation("getChat") }), ["listChats"])).toBe(
      "getChat",
    );
  });
});
