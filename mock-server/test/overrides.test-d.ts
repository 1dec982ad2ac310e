/**
 * Overrides are typed by the public spec: a status the operation documents, with the body of that status's
 * schema, compiles; any other status or body does not (`unchecked: true` takes them on purpose). Checked by
 * `vitest run --typecheck`, never executed.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../../generated/types.ts";
import type { DocumentedStatus, OverrideControl, ResponseBody } from "../override-control.ts";

type Contact = components["schemas"]["Contact"];
type ApiError = components["schemas"]["Error"];
declare const mock: OverrideControl;
declare const contact: Contact;

describe("override types", () => {
  it("takes the statuses an operation documents, and 500 and 503 where its default response covers them", () => {
    expectTypeOf<DocumentedStatus<"getContact">>().toEqualTypeOf<200 | 400 | 401 | 404 | 429 | 500 | 503>();
    expectTypeOf<DocumentedStatus<"getWorkspace">>().toEqualTypeOf<200 | 401 | 429 | 500 | 503>();
  });

  it("gives each status the body of its schema", () => {
    expectTypeOf<ResponseBody<"getContact", 200>>().toEqualTypeOf<Contact>();
    expectTypeOf<ResponseBody<"getContact", 404>>().toEqualTypeOf<ApiError>();
    expectTypeOf<ResponseBody<"getContact", 503>>().toEqualTypeOf<ApiError>();
  });

  it("compiles the overrides the spec allows", () => {
    void mock.override("getContact", { status: 404 });
    void mock.override("getContact", { status: 200, body: contact });
    void mock.override("listContacts", { status: 200, times: 2, when: { query: { limit: 5 } } });
    void mock.override("createContact", { status: 409, when: { body: { name: "Taken" } } });
    void mock.override("createContact", () => ({ status: 409 }));
    void mock.override("getContact", { networkError: true });
    void mock.override("getContact", { delay: 500 });
    void mock.override("getContact", { status: 418, body: { anything: true }, unchecked: true });
  });

  it("refuses a status the operation does not document", () => {
    // @ts-expect-error getWorkspace documents no 404
    void mock.override("getWorkspace", { status: 404 });
    // @ts-expect-error 418 is documented nowhere
    void mock.override("getContact", { status: 418 });
    // @ts-expect-error a function's answer is typed as well
    void mock.override("createContact", () => ({ status: 418 }));
  });

  it("refuses a body that is not the status's schema", () => {
    // @ts-expect-error a Contact's email is a string or null
    void mock.override("getContact", { status: 200, body: { ...contact, email: 5 } });
    // @ts-expect-error a 404's body is an Error, not a Contact
    void mock.override("getContact", { status: 404, body: contact });
  });

  it("refuses an operation the spec does not have, and a `when` parameter it does not declare", () => {
    // @ts-expect-error no such operation
    void mock.override("getNothing", { status: 404 });
    // @ts-expect-error listContacts has no query parameter `size`
    void mock.override("listContacts", { status: 429, when: { query: { size: 5 } } });
  });
});
