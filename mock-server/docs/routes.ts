/**
 * `/docs` on the mock: the API reference page, its assets from `node_modules`, and the spec it shows.
 * Served by the HTTP server only, in front of the engine (it reads files, which the engine never does):
 * outside the public API (no key needed), and out of the request journal, since the page is no API call.
 * "Try it out" points at this mock's own origin, with its first accepted key filled in.
 */
import type { oas31 } from "openapi3-ts";
import type { EngineRequest, EngineResponse } from "../engine/types.ts";
import { assetFiles, type PageOptions, readAsset, renderPage } from "./page.ts";

export interface DocsRoutesOptions {
  spec: oas31.OpenAPIObject;
  /** Where the public API lives on the mock (`/public/v1`). */
  publicPrefix: string;
  /** The key filled in under "Authorize": one the mock accepts. */
  apiKey: string;
}

/** Where the page lives on the mock. */
export const DOCS_PREFIX = "/docs";

/** The page as the mock serves it to one request: servers and assets on the origin the browser used. */
export function mockPageOptions(origin: string, options: DocsRoutesOptions): PageOptions {
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

/** Answers a request for the page, or its spec or assets; undefined (at once, no promise) for any other. */
export type DocsHandler = (request: EngineRequest) => Promise<EngineResponse> | undefined;

const ASSETS = "/assets/";

export function createDocsHandler(options: DocsRoutesOptions): DocsHandler {
  let specJson: string | undefined;
  return (request) => {
    if (!request.url.startsWith(DOCS_PREFIX) || request.method.toUpperCase() !== "GET") return undefined;
    const path = request.url.split("?")[0] ?? "";
    // One trailing slash is the same route, as everywhere on the mock.
    const rest = path.slice(DOCS_PREFIX.length).replace(/\/$/, "");
    if (rest === "") return Promise.resolve(page(request, options));
    if (rest === "/openapi.json") {
      specJson ??= JSON.stringify(options.spec);
      return Promise.resolve({
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8" },
        body: specJson,
      });
    }
    if (rest.startsWith(ASSETS) && !rest.includes("/", ASSETS.length)) return asset(rest.slice(ASSETS.length));
    return undefined;
  };
}

function page(request: EngineRequest, options: DocsRoutesOptions): EngineResponse {
  // The origin the browser used: the mock serves plain HTTP, on whatever host and port it was reached.
  const origin = `http://${request.headers.host ?? "localhost"}`;
  return {
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    body: renderPage(mockPageOptions(origin, options)),
  };
}

async function asset(encoded: string): Promise<EngineResponse> {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    name = encoded;
  }
  const bytes = await readAsset(name);
  const file = assetFiles[name];
  if (!bytes || !file) {
    return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: `No asset ${name}.` };
  }
  return { status: 200, headers: { "content-type": file.type, "cache-control": "public, max-age=3600" }, body: bytes };
}
