/**
 * A `fetch` that hands each request to a Fastify app's `inject()`: the whole HTTP stack of the app runs
 * (routing, parsing, hooks, serialisation), but no socket is opened. The URL's origin is ignored.
 */
import type { FastifyInstance, InjectOptions } from "fastify";

export type Fetch = (input: Request) => Promise<Response>;

/** Statuses whose responses have no body, which `new Response()` refuses to be given one. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function injectFetch(app: Pick<FastifyInstance, "inject">): Fetch {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const reply = await app.inject({
      method: request.method as InjectOptions["method"],
      url: `${url.pathname}${url.search}`,
      headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(one));
    }
    const noBody = NULL_BODY.has(reply.statusCode) || request.method === "HEAD";
    return new Response(noBody ? null : new Uint8Array(reply.rawPayload), {
      status: reply.statusCode,
      statusText: reply.statusMessage,
      headers: responseHeaders,
    });
  };
}
