/** Contacts: create, read, update, delete, search by email, and the email that is unique per workspace. */
import { describe, expect } from "vitest";
import { MAX_BODY_BYTES } from "../../generated/rules.ts";
import { type Contact, createContact } from "../support/data.ts";
import { openTarget } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("contacts");
const test = contractTest(target);
const { client } = target;

const everyField = () => ({
  name: target.label("every field"),
  email: target.email("every-field"),
  phone: "+61 2 9999 0000",
  ip: "203.0.113.7",
  origin: "https://example.com/pricing",
  description: "Asked about the enterprise plan",
  country: "Australia",
  zip_code: "2000",
  city: "Sydney",
  state: "NSW",
  address: "1 George St",
  company: "Example Pty Ltd",
  lang: "en",
});

const get = (contactId: string) => client.GET("/contact/{contactId}", { params: { path: { contactId } } });

describe("createContact", () => {
  test("stores every field of the reference and returns it, readable afterwards", ["writes"], async () => {
    const fields = everyField();
    const created = await createContact(target, fields);
    expect(created).toMatchObject(fields);
    const { data } = await get(created.guid);
    expect(data).toEqual(created);
  });

  test("accepts an empty body: every field is optional", ["writes"], async () => {
    const { data, response } = await client.POST("/contact", { body: {} });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ name: null, email: null, phone: null, company: null });
  });

  test("lists the new contact among the contacts", ["writes"], async () => {
    const created = await createContact(target);
    const { data: first } = await client.GET("/contact", { params: { query: { limit: 100 } } });
    const last = await client.GET("/contact", { params: { query: { limit: 1, page: first?.total ?? 1 } } });
    expect(last.data?.data.map((c) => c.guid)).toContain(created.guid);
  });

  for (const [field, value] of [
    ["email", "not-an-email"],
    ["ip", "999.1.1.1"],
    ["origin", "not a url"],
    ["name", 42],
    ["emial", "typo@example.com"],
  ] as const) {
    test(`refuses ${field}: ${JSON.stringify(value)} with 400 naming the field`, ["writes", "invalid"], async () => {
      const response = await target.request({ method: "POST", path: "/contact", body: { [field]: value } });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: "invalid_request", details: [{ in: "body", field: `/${field}` }] });
    });
  }

  test("refuses a body that is not well-formed JSON with 400", ["writes", "invalid"], async () => {
    const response = await target.request({ method: "POST", path: "/contact", rawBody: '{"name": ' });
    expect(response.status).toBe(400);
  });

  test("refuses a body that is not a JSON object with 400", ["writes", "invalid"], async () => {
    for (const rawBody of ["[]", "null", '"x"', "42"]) {
      const response = await target.request({ method: "POST", path: "/contact", rawBody });
      expect(response.status, rawBody).toBe(400);
    }
  });

  test("refuses a body that is not sent as JSON with 415", ["writes", "invalid"], async () => {
    const response = await target.request({
      method: "POST",
      path: "/contact",
      rawBody: "name=x",
      contentType: "text/plain",
    });
    expect(response.status).toBe(415);
  });

  test("refuses a body over the spec's limit (1 MiB) with 413", ["writes", "invalid"], async () => {
    const response = await target.request({
      method: "POST",
      path: "/contact",
      body: { description: "x".repeat(MAX_BODY_BYTES + 16) },
    });
    expect(response.status).toBe(413);
  });
});

describe("getContact", () => {
  test("answers 404 for an id no contact has", [], async () => {
    const { error, response } = await get("00000000-0000-4000-8000-000000000000");
    expect(response.status).toBe(404);
    expect(error?.code).toBe("not_found");
  });

  test("answers 400 for an id that is not a GUID", ["invalid"], async () => {
    const response = await target.request({ method: "GET", path: "/contact/not-a-guid" });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ details: [{ in: "path", field: "contactId" }] });
  });
});

describe("updateContact", () => {
  test("changes only the fields it is given", ["writes"], async () => {
    const created = await createContact(target, everyField());
    const { data } = await client.PUT("/contact/{contactId}", {
      params: { path: { contactId: created.guid } },
      body: { city: "Melbourne" },
    });
    const { updated_at: _a, ...before } = created;
    const { updated_at: _b, ...after } = data as Contact;
    expect(after).toEqual({ ...before, city: "Melbourne" });
    expect((await get(created.guid)).data?.city).toBe("Melbourne");
  });

  test("clears a field given as null", ["writes"], async () => {
    const created = await createContact(target, { phone: "+61 400 000 000" });
    const { data } = await client.PUT("/contact/{contactId}", {
      params: { path: { contactId: created.guid } },
      body: { phone: null },
    });
    expect(data?.phone).toBeNull();
    expect(data?.email).toBe(created.email);
  });

  test("answers 404 for an id no contact has", ["writes"], async () => {
    const { response } = await client.PUT("/contact/{contactId}", {
      params: { path: { contactId: "00000000-0000-4000-8000-000000000000" } },
      body: { city: "Perth" },
    });
    expect(response.status).toBe(404);
  });
});

describe("createContact and updateContact: the email of a contact", () => {
  test("is unique in the workspace, compared case-insensitively: a second create is 409", ["writes"], async () => {
    const email = target.email("unique");
    await createContact(target, { email });
    const { error, response } = await client.POST("/contact", { body: { email: email.toUpperCase() } });
    expect(response.status).toBe(409);
    expect(error?.code).toBe("email_taken");
  });

  test("cannot be taken from another contact by an update: 409, and nothing changes", ["writes"], async () => {
    const taken = await createContact(target);
    const other = await createContact(target);
    const { response } = await client.PUT("/contact/{contactId}", {
      params: { path: { contactId: other.guid } },
      body: { email: (taken.email as string).toUpperCase(), city: "Hobart" },
    });
    expect(response.status).toBe(409);
    expect((await get(other.guid)).data).toEqual(other);
  });

  test("can be given again to its own contact in another case", ["writes"], async () => {
    const created = await createContact(target);
    const email = (created.email as string).toUpperCase();
    const { data, response } = await client.PUT("/contact/{contactId}", {
      params: { path: { contactId: created.guid } },
      body: { email },
    });
    expect(response.status).toBe(200);
    expect(data?.email).toBe(email);
  });
});

describe("searchContacts", () => {
  test("requires the email parameter: 400 without it", ["invalid"], async () => {
    const response = await target.request({ method: "GET", path: "/contact/search" });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ details: [{ in: "query", field: "email" }] });
  });

  test("finds the contact whatever the case of the email, in the page envelope", ["writes"], async () => {
    const created = await createContact(target);
    const { data } = await client.GET("/contact/search", {
      params: { query: { email: (created.email as string).toUpperCase() } },
    });
    expect(data).toEqual({ data: [created], page: 1, limit: 20, pages: 1, total: 1 });
  });

  test("answers an empty page for an email no contact has", [], async () => {
    const { data } = await client.GET("/contact/search", { params: { query: { email: target.email("nobody") } } });
    expect(data).toEqual({ data: [], page: 1, limit: 20, pages: 0, total: 0 });
  });

  test("finds a listed contact by its email", [], async (ctx) => {
    const { data: list } = await client.GET("/contact", { params: { query: { limit: 100 } } });
    const withEmail = need(
      ctx,
      list?.data.find((c) => c.email),
      "the target has no contact with an email",
    );
    const { data } = await client.GET("/contact/search", { params: { query: { email: withEmail.email as string } } });
    expect(data?.data).toEqual([withEmail]);
  });
});

describe("deleteContact", () => {
  test("answers 200 with an empty body", ["writes"], async () => {
    const created = await createContact(target);
    const response = await target.request({ method: "DELETE", path: `/contact/${created.guid}` });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
  });

  test("makes GET, PUT and DELETE of its id answer 404, and frees its email", ["writes"], async () => {
    const created = await createContact(target);
    await target.request({ method: "DELETE", path: `/contact/${created.guid}` });
    expect((await get(created.guid)).response.status).toBe(404);
    const put = await target.request({ method: "PUT", path: `/contact/${created.guid}`, body: { city: "Darwin" } });
    expect(put.status).toBe(404);
    expect((await target.request({ method: "DELETE", path: `/contact/${created.guid}` })).status).toBe(404);
    const search = await client.GET("/contact/search", { params: { query: { email: created.email as string } } });
    expect(search.data?.total).toBe(0);
    const again = await client.POST("/contact", { body: { email: created.email as string } });
    expect(again.response.status).toBe(200);
  });
});
