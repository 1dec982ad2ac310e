/**
 * A test double for the drift report: an HTTP proxy in front of the mock that adds an undocumented
 * property (`loyalty_tier`) to every contact it passes on, as a live API that grew a field would.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const ADDED_PROPERTY = "loyalty_tier";

/** Adds the property to every object that looks like a contact (has `guid` and `zip_code`). */
export function addDrift(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(addDrift);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = addDrift(child);
  if ("guid" in out && "zip_code" in out) out[ADDED_PROPERTY] = "gold";
  return out;
}

/** Starts the proxy on a free loopback port; resolves to its origin and a way to stop it. */
export async function startDriftingProxy(upstream: string): Promise<{ origin: string; server: Server }> {
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
      if (response.headers.get("content-type")?.includes("json") && text !== "") {
        text = JSON.stringify(addDrift(JSON.parse(text)));
      }
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding") out[name] = value;
      });
      reply.writeHead(response.status, out).end(text);
    } catch (error) {
      reply.writeHead(502, { "content-type": "text/plain" }).end(`drifting proxy: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server };
}
