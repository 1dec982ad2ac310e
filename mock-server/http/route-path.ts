/** A spec's path template in the router's syntax: the only place the mock writes a path the Fastify way. */

/** `/contact/{contactId}` as a Fastify route: `/contact/:contactId`. */
export function toRoutePath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ":$1");
}
