/**
 * `/docs` on the mock: the API reference page, its assets from `node_modules`, and the spec it shows.
 * Outside the public API (no key needed) and adding no hook, so public routes do not pay for it.
 * "Try it out" points at this mock's own origin, with its first accepted key filled in.
 */
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { oas31 } from "openapi3-ts";
import { assetFiles, type PageOptions, readAsset, renderPage } from "./page.ts";

export interface DocsRoutesOptions {
  spec: oas31.OpenAPIObject;
  /** Where the public API lives on the mock (`/public/v1`). */
  publicPrefix: string;
  /** The key filled in under "Authorize": one the mock accepts. */
  apiKey: string;
}

/** The page as the mock serves it to one request: servers and assets on the origin the browser used. */
export function mockPageOptions(
  request: Pick<FastifyRequest, "protocol" | "host">,
  options: DocsRoutesOptions,
): PageOptions {
  const origin = `${request.protocol}://${request.host}`;
  return {
    spec: options.spec,
    servers: [{ url: `${origin}${options.publicPrefix}`, description: "This mock server (converseiq-kit)" }],
    assetBase: `${DOCS_PREFIX}/assets/`,
    apiKey: options.apiKey,
    intro: [
      '> **You are on the mock server of converseiq-kit.** "Try it out" sends requests to this mock',
      `> (\`${origin}${options.publicPrefix}\`), never to the live API, with the mock's key`,
      `> \`${options.apiKey}\` already filled in under **Authorize**. The data is seeded and resets when`,
      `> the mock restarts (or on \`POST /__admin/reset\`). [The spec as JSON](${DOCS_PREFIX}/openapi.json).`,
    ].join("\n"),
  };
}

/** Where the page lives on the mock. */
export const DOCS_PREFIX = "/docs";

export const docsRoutes: FastifyPluginAsync<DocsRoutesOptions> = async (app, options) => {
  // The page is no API call: the request journal (`GET /__admin/requests`) leaves it out.
  const config = { skipJournal: true };

  app.get("/", { config }, async (request, reply) => {
    const page = mockPageOptions(request, options);
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(renderPage(page));
  });

  app.get("/openapi.json", { config }, async (_request, reply) => reply.type("application/json").send(options.spec));

  app.get<{ Params: { name: string } }>("/assets/:name", { config }, async (request, reply) => {
    const { name } = request.params;
    const bytes = await readAsset(name);
    const file = assetFiles[name];
    if (!bytes || !file) return reply.code(404).type("text/plain; charset=utf-8").send(`No asset ${name}.`);
    return reply.type(file.type).header("cache-control", "public, max-age=3600").send(bytes);
  });
};
