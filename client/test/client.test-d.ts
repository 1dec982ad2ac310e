/**
 * Type tests: what the compiler accepts and refuses. Each `@ts-expect-error` sits on the one line
 * that must fail, so a call that starts compiling (a looser type) fails this file.
 * The calls are never awaited: only their types matter here.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../../generated/types.ts";
import { type ApiError, createClient, type ListItem, type ListPath, paginate } from "../index.ts";

type Schemas = components["schemas"];
const client = createClient({ apiKey: "key" });
const contactId = "5c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d";
const chatId = "0b7d3e9f-2a4c-4e6b-9d1f-3a5c7e9b1d2f";

describe("client types", () => {
  it("refuses a path the spec does not have", () => {
    // @ts-expect-error: no such path
    void client.GET("/contacts");
    // @ts-expect-error: /contact/search has no POST
    void client.POST("/contact/search", { body: {} });
  });

  it("refuses a body field the spec does not have", () => {
    // @ts-expect-error: `emial` is not a field of ContactCreate
    void client.POST("/contact", { body: { emial: "olivia@example.com" } });
    // @ts-expect-error: misspelt beside a right field (openapi-fetch alone lets this through)
    void client.POST("/contact", { body: { name: "Olivia", emial: "olivia@example.com" } });
    // @ts-expect-error: `message` is required to start a chat
    void client.POST("/chat", { body: { channel: chatId, agent: contactId } });
    // @ts-expect-error: `title` is a string or null
    void client.PUT("/chat/{chatId}", { params: { path: { chatId } }, body: { title: 42 } });
  });

  it("refuses a parameter of the wrong type, and a missing required one", () => {
    // @ts-expect-error: `limit` is a number
    void client.GET("/contact", { params: { query: { limit: "ten" } } });
    // @ts-expect-error: misspelt parameter name
    void client.GET("/contact", { params: { query: { limt: 10 } } });
    // @ts-expect-error: `contactId` is required
    void client.GET("/contact/{contactId}", { params: { path: {} } });
    // @ts-expect-error: `email` is required
    void client.GET("/contact/search", { params: { query: { limit: 10 } } });
  });

  it("types data from the spec's 200 response", async () => {
    const { data } = await client.GET("/contact/{contactId}", { params: { path: { contactId } } });
    expectTypeOf(data).toEqualTypeOf<Schemas["Contact"] | undefined>();
    const { data: page } = await client.GET("/chat/{chatId}/message", { params: { path: { chatId } } });
    expectTypeOf(page).toEqualTypeOf<Schemas["MessagePage"] | undefined>();
  });

  it("types error as the spec's Error, the default response included", async () => {
    expectTypeOf<ApiError>().toEqualTypeOf<Schemas["Error"]>();
    // /workspace documents 401, 429 and default; all three are Error.
    const { error } = await client.GET("/workspace");
    expectTypeOf(error).toEqualTypeOf<Schemas["Error"] | undefined>();
  });

  it("types request(method, path) as the method of the same name", async () => {
    const { data } = await client.request("get", "/team/{memberId}", { params: { path: { memberId: contactId } } });
    expectTypeOf(data).toEqualTypeOf<Schemas["TeamMember"] | undefined>();
    // @ts-expect-error: /workspace has no DELETE
    void client.request("delete", "/workspace", {});
  });

  it("narrows to data or error, never both", async () => {
    const result = await client.GET("/workspace");
    if (result.error) {
      expectTypeOf(result.data).toEqualTypeOf<undefined>();
      expectTypeOf(result.error.code).toEqualTypeOf<Schemas["Error"]["code"]>();
    } else {
      expectTypeOf(result.data).toEqualTypeOf<Schemas["Workspace"]>();
    }
  });
});

describe("paginate types", () => {
  it("finds the list paths in the spec by their envelope", () => {
    expectTypeOf<ListPath>().toEqualTypeOf<
      "/contact" | "/contact/search" | "/chat" | "/chat/{chatId}/message" | "/team"
    >();
  });

  it("yields the item type of the list", () => {
    expectTypeOf(paginate(client, "/contact")).toEqualTypeOf<AsyncGenerator<Schemas["Contact"], void, undefined>>();
    expectTypeOf<ListItem<"/chat/{chatId}/message">>().toEqualTypeOf<Schemas["Message"]>();
    expectTypeOf<ListItem<"/team">>().toEqualTypeOf<Schemas["TeamMember"]>();
  });

  it("refuses a path that is not a list, and wrong or missing parameters", () => {
    // @ts-expect-error: GET /contact/{contactId} answers one Contact, not a page
    void paginate(client, "/contact/{contactId}", { params: { path: { contactId } } });
    // @ts-expect-error: `limit` is a number
    void paginate(client, "/contact", { params: { query: { limit: "ten" } } });
    // @ts-expect-error: the path parameter `chatId` is required
    void paginate(client, "/chat/{chatId}/message");
    // @ts-expect-error: misspelt parameter name
    void paginate(client, "/team", { params: { query: { limt: 10 } } });
    // @ts-expect-error: `email` is required by /contact/search
    void paginate(client, "/contact/search", { params: { query: {} } });
    // Without required parameters, init may be left out.
    void paginate(client, "/team");
  });
});
