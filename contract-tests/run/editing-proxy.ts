/**
 * Test doubles for test:http: an HTTP proxy in front of the mock that rewrites the JSON bodies it passes
 * on, or passes them on untouched until told to edit. `addDrift` adds an undocumented property to every
 * contact, as a live API that grew a field would (for the drift report); `breakContacts` makes every
 * contact's email a number (for Prism to catch).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const ADDED_PROPERTY = "loyalty_tier";

/**
 * An edit that changes, in a copy of a JSON body, every object that looks like a contact (has `guid` and
 * `zip_code`), wherever it is: one contact, a page of them, a chat's nested ones.
 */
export function editContacts(change: (contact: Record<string, unknown>) => void): (value: unknown) => unknown {
  const edit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(edit);
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = edit(child);
    if ("guid" in out && "zip_code" in out) change(out);
    return out;
  };
  return edit;
}

/** Adds the property to every contact: drift the spec does not know. */
export const addDrift = editContacts((contact) => {
  contact[ADDED_PROPERTY] = "gold";
});

/** Makes every contact's email a number: a response that breaks the spec. */
export const breakContacts = editContacts((contact) => {
  contact.email = 42;
});

type Edit = (body: unknown) => unknown;

export interface EditingProxy {
  origin: string;
  /** To close. */
  server: Server;
  /** From now on, JSON bodies are rewritten by `edit`; with none, passed on as they came. */
  setEdit(edit: Edit | undefined): void;
}

/** Starts the proxy on a free loopback port, editing with `edit` (none: untouched until `setEdit`). */
export async function startEditingProxy(upstream: string, initial?: Edit): Promise<EditingProxy> {
  let edit = initial;
  const server = createServer(async (request, reply) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks).toString() : undefined;
      const response = await fetch(`${upstream}${request.url ?? "/"}`, {
        method: request.method ?? "GET",
        headers,
        ...(body === undefined ? {} : { body }),
      });
      let text = await response.text();
      if (edit && response.headers.get("content-type")?.includes("json") && text !== "") {
        text = JSON.stringify(edit(JSON.parse(text)));
      }
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding") out[name] = value;
      });
      reply.writeHead(response.status, out).end(text);
    } catch (error) {
      reply.writeHead(502, { "content-type": "text/plain" }).end(`editing proxy: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    setEdit: (next) => {
      edit = next;
    },
  };
}
