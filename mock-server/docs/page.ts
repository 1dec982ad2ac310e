/**
 * The API reference page (Swagger UI from `swagger-ui-dist`), as plain data: the spec it shows, the HTML
 * around it and the asset files it loads. The mock serves it at `/docs` (routes.ts); `npm run docs` writes
 * it as static files (scripts/docs.ts). No framework here, and nothing on the page loads from another host.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { oas31 } from "openapi3-ts";

/** The files the page loads besides itself, by the name it asks for, with where they come from. */
export const assetFiles: Record<string, { path: string; type: string }> = {
  "swagger-ui-bundle.js": { path: swaggerUiFile("swagger-ui-bundle.js"), type: "text/javascript; charset=utf-8" },
  "swagger-ui.css": { path: swaggerUiFile("swagger-ui.css"), type: "text/css; charset=utf-8" },
  "favicon-32x32.png": { path: swaggerUiFile("favicon-32x32.png"), type: "image/png" },
  "init.js": {
    path: fileURLToPath(new URL("browser/init.js", import.meta.url)),
    type: "text/javascript; charset=utf-8",
  },
};

/**
 * A file of Swagger UI: in the built package, the copy the build put beside this module (`browser/swagger-ui/`),
 * since `swagger-ui-dist` is a dev dependency (it brings `@scarf/scarf`, whose install script reports each
 * install: a warning in every project that installs the kit); in this repository, `swagger-ui-dist` itself.
 */
function swaggerUiFile(name: string): string {
  const copied = fileURLToPath(new URL(`browser/swagger-ui/${name}`, import.meta.url));
  if (existsSync(copied)) return copied;
  // The package has no `exports`; its own `index.js` would load the whole bundle into Node, so resolve a file.
  return join(dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json")), name);
}

const cache = new Map<string, Buffer>();

/** An asset's bytes, read once per process and then kept (they never change while it runs). */
export async function readAsset(name: string): Promise<Buffer | undefined> {
  const file = assetFiles[name];
  if (!file) return undefined;
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = await readFile(file.path);
    cache.set(name, bytes);
  }
  return bytes;
}

export interface PageOptions {
  /** The spec as bundled (`generated/openapi.json`). */
  spec: oas31.OpenAPIObject;
  /** Where "Try it out" sends requests, first one selected. */
  servers: oas31.ServerObject[];
  /** Where the page's assets are, ending in `/` (`/docs/assets/` on the mock, `assets/` when static). */
  assetBase: string;
  /** A paragraph put first in the description, telling who answers "Try it out" and with which key. */
  intro: string;
  /** Filled in under "Authorize" when the page loads (the mock's key); none for a page about the live API. */
  apiKey?: string;
}

/** The spec as the page shows it: the given servers, the intro on top of the description. */
export function pageSpec(options: PageOptions): oas31.OpenAPIObject {
  const { "x-generated": _generated, ...spec } = options.spec as oas31.OpenAPIObject & { "x-generated"?: string };
  return {
    ...spec,
    info: { ...spec.info, description: `${options.intro}\n\n${spec.info.description ?? ""}` },
    servers: options.servers,
  };
}

/** What the browser script (browser/init.js) reads: the spec and the key to fill in. */
export interface PageConfig {
  spec: oas31.OpenAPIObject;
  securityScheme: string;
  apiKey: string | null;
}

/** The name of the spec's API key scheme (`ApiKey`), the one "Authorize" fills in. */
export function apiKeyScheme(spec: oas31.OpenAPIObject): string {
  const schemes = spec.components?.securitySchemes ?? {};
  const name = Object.entries(schemes).find(([, s]) => "type" in s && s.type === "apiKey")?.[0];
  if (!name) throw new Error("The spec has no apiKey security scheme to fill in.");
  return name;
}

/**
 * The Content-Security-Policy of the page: scripts, styles and images from its own origin only, and
 * requests only to its own origin and to the spec's servers. A browser refuses anything else, so no
 * part of the page can reach another host even if a future Swagger UI tried.
 */
export function contentSecurityPolicy(servers: oas31.ServerObject[]): string {
  const origins = new Set<string>();
  for (const server of servers) {
    const url = server.url.replace(/\{[^}]+\}/g, "*");
    const match = /^(https?:\/\/[^/]+)/.exec(url);
    if (match?.[1]) origins.add(match[1]);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Swagger UI sets style attributes from script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${[...origins].join(" ")}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** JSON that is safe inside a `<script>` element: no `</script>`, no line separators JavaScript chokes on. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole page: one HTML document, the spec inside it (so it also works opened from a file). */
export function renderPage(options: PageOptions): string {
  const spec = pageSpec(options);
  const config: PageConfig = { spec, securityScheme: apiKeyScheme(spec), apiKey: options.apiKey ?? null };
  const base = escapeHtml(options.assetBase);
  const csp = escapeHtml(contentSecurityPolicy(options.servers));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(spec.info.title)}: API reference</title>
<link rel="icon" type="image/png" href="${base}favicon-32x32.png">
<link rel="stylesheet" href="${base}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script id="docs-config" type="application/json">${scriptJson(config)}</script>
<script src="${base}swagger-ui-bundle.js"></script>
<script src="${base}init.js"></script>
</body>
</html>
`;
}
