/**
 * Single-fault servers, for proving that one defect gives failures of its own operation and rule only:
 * the mock, with one rule of one operation broken by a wrapper around its transport (the pattern of the
 * mutation tests, `test/mutations.test.ts`), served over HTTP on a free loopback port. The admin API
 * (`/__admin`) passes untouched, so the runner still works in the mock's own data.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { API_BASE_PATH } from "../../generated/rules.ts";
import { buildMockServer } from "../../mock-server/app.ts";
import { DEFAULT_API_KEY } from "../../mock-server/mock-options.ts";
import { injectTransport, type Transport, type WireRequest, type WireResponse } from "../support/transport.ts";

export type Fault = (inner: Transport) => Transport;

const route = (request: WireRequest) => {
  const url = new URL(request.url);
  return { method: request.method, path: url.pathname.slice(API_BASE_PATH.length) };
};
/** One contact by id (`/contact/search` is another operation). */
const CONTACT = /^\/contact\/(?!search$)[^/]+$/;
const MESSAGES = /^\/chat\/[^/]+\/message$/;

/** A fault on the answers `when` picks: `edit` gets the parsed body and returns the answer sent instead. */
const editing =
  (
    when: (request: { method: string; path: string }, response: WireResponse) => boolean,
    edit: (body: unknown, response: WireResponse) => WireResponse,
  ): Fault =>
  (inner) =>
  async (request) => {
    const response = await inner(request);
    if (!when(route(request), response)) return response;
    return edit(response.text ? JSON.parse(response.text) : undefined, response);
  };
const withBody = (response: WireResponse, body: unknown, status = response.status): WireResponse => ({
  ...response,
  status,
  headers: { ...response.headers, "content-type": "application/json; charset=utf-8" },
  text: JSON.stringify(body),
});

/** The faults, each one rule of one operation, by a name that says which. */
export const FAULTS = {
  /** listContacts: the page's items under `items` instead of `data`. */
  "listContacts page shape": editing(
    (r, response) => r.method === "GET" && r.path === "/contact" && response.status === 200,
    (body, response) => {
      const { data, ...rest } = body as { data: unknown };
      return withBody(response, { items: data, ...rest });
    },
  ),
  /** getContact: answers without a key, or with a wrong one, as if the key were right. */
  "getContact without 401": (inner) => (request) =>
    inner(
      request.method === "GET" && CONTACT.test(route(request).path)
        ? { ...request, headers: { ...request.headers, "x-api-key": DEFAULT_API_KEY } }
        : request,
    ),
  /** createContact: bad input answered with a 500 instead of the 400. */
  "createContact 500 on bad input": editing(
    (r, response) => r.method === "POST" && r.path === "/contact" && response.status === 400,
    (_, response) => withBody(response, { code: "internal_error", message: "boom" }, 500),
  ),
  /** listChatMessages: oldest first instead of newest first. */
  "listChatMessages oldest first": editing(
    (r, response) => r.method === "GET" && MESSAGES.test(r.path) && response.status === 200,
    (body, response) => {
      const page = body as { data: unknown[] };
      return withBody(response, { ...page, data: [...page.data].reverse() });
    },
  ),
  /** getContact: an undocumented property in the contact. */
  "getContact undocumented property": editing(
    (r, response) => r.method === "GET" && CONTACT.test(r.path) && response.status === 200,
    (body, response) => withBody(response, { ...(body as object), internal_id: 7 }),
  ),
  /** deleteContact: a JSON body on the 200, which the spec documents as empty. */
  "deleteContact with a body": editing(
    (r, response) => r.method === "DELETE" && CONTACT.test(r.path) && response.status === 200,
    (_, response) => withBody(response, {}),
  ),
} satisfies Record<string, Fault>;
export type FaultName = keyof typeof FAULTS;

export interface FaultyServer {
  /** The API's base URL (`…/public/v1`). */
  baseUrl: string;
  close(): Promise<void>;
}

/** A fresh mock with `fault` on its public API, on a free loopback port. */
export async function startFaultyServer(fault: Fault): Promise<FaultyServer> {
  const mock = await buildMockServer({ logger: false });
  const plain = injectTransport(mock);
  const faulty = fault(plain);
  const server: Server = createServer(async (incoming, reply) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers))
        if (typeof value === "string" && name !== "content-length") headers[name] = value;
      const body = chunks.length > 0 ? Buffer.concat(chunks).toString() : undefined;
      const request: WireRequest = {
        method: incoming.method ?? "GET",
        url: `http://${incoming.headers.host ?? "127.0.0.1"}${incoming.url ?? "/"}`,
        headers,
        ...(body === undefined ? {} : { body }),
      };
      const through = (incoming.url ?? "").startsWith(API_BASE_PATH) ? faulty : plain;
      const response = await through(request);
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers))
        if (name !== "content-length" && name !== "transfer-encoding") out[name] = value;
      reply.writeHead(response.status, out).end(response.text);
    } catch (error) {
      reply.writeHead(502, { "content-type": "text/plain" }).end(`faulty server: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${API_BASE_PATH}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mock.close();
    },
  };
}
