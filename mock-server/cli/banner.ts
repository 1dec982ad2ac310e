/**
 * The start-up banner: where the API is, the accepted key(s), where the fixtures are and how to reset.
 * This is the one place an API key is printed; the request log never shows one. Its first line, the
 * headline, is printed alone with `--quiet`: a script that starts the mock on `--port 0` reads the port
 * from it (scripts/server-port.ts).
 */
import { DOCS_PREFIX } from "../docs/routes.ts";
import { type MockOptions, PUBLIC_PREFIX } from "../mock-options.ts";
import { printable, redisDefaults } from "../replication/redis-options.ts";

export interface BannerFacts {
  /** The origin the server listens on: `http://127.0.0.1:4010`. */
  origin: string;
  /** The server's options, defaults filled in. */
  options: MockOptions;
  /** Whether the state came from the state file (false: the file does not exist yet). */
  stateLoaded: boolean;
  /** Listening beyond loopback with no admin token, on purpose (`--admin-open`): the banner warns. */
  adminOpen?: boolean;
}

/** `ConverseIQ mock server: http://127.0.0.1:4010/public/v1`: where the API is, on a line of its own. */
export function headline(origin: string): string {
  return `ConverseIQ mock server: ${origin}${PUBLIC_PREFIX}`;
}

export function banner({ origin, options, stateLoaded, adminOpen = false }: BannerFacts): string {
  const keys = options.apiKeys;
  const { seed, contacts, chats, team, channels, bots } = options.seed;
  const admin = options.adminToken !== undefined ? ` -H "x-admin-token: <admin token>"` : "";
  const data =
    options.stateFile !== undefined && stateLoaded
      ? `loaded from ${options.stateFile}`
      : options.redis !== undefined
        ? "shared through Redis (the first replica on the prefix seeded it)"
        : `seed ${seed}: ${contacts} contacts, ${chats} chats, ${team} team members, ${channels} channels, ${bots} bots`;
  const lines = [
    headline(origin),
    "",
    `  ${(keys.length > 1 ? "API keys" : "API key").padEnd(12)}${keys.join(", ")}   (send it in the x-api-key header)`,
    `  Fixtures    curl${admin} ${origin}/__admin/fixtures`,
    `  Reset       curl${admin} -X POST -H "content-type: application/json" ${origin}/__admin/reset`,
    `  Reference   ${origin}${DOCS_PREFIX}   (the API reference, in a browser)`,
    `  Data        ${data}`,
  ];
  if (options.stateFile !== undefined) {
    lines.push(
      options.stateReadOnly
        ? `  State file  ${options.stateFile} (read-only: changes are served from memory, the file is never written)`
        : `  State file  ${options.stateFile} (${stateLoaded ? "loaded; " : "new; "}saved after changes and on exit)`,
    );
  }
  if (options.redis !== undefined) {
    const { url, prefix, consistency, snapshotEvery } = redisDefaults(options.redis);
    lines.push(
      `  Replica     of ${printable(url)}, prefix ${prefix}; ${consistency} reads; a snapshot every ${snapshotEvery} changes`,
    );
  }
  for (const [i, { url, events }] of (options.webhooks?.endpoints ?? []).entries()) {
    const which = events.length === 1 && events[0] === "*" ? "every event" : events.join(", ");
    lines.push(`  ${(i === 0 ? "Webhooks" : "").padEnd(12)}${url} (${which})`);
  }
  const switches = [
    options.latency && `latency ${options.latency.min}-${options.latency.max} ms`,
    options.errorRate !== undefined && `error rate ${options.errorRate}`,
    options.rateLimit && `rate limit ${options.rateLimit.limit} per ${options.rateLimit.windowMs} ms`,
    options.cors === false ? "CORS off" : Array.isArray(options.cors) && `CORS for ${options.cors.join(", ")}`,
  ].filter((s): s is string => typeof s === "string");
  if (switches.length > 0) lines.push(`  Behaviour   ${switches.join("; ")}`);
  if (adminOpen && options.adminToken === undefined) {
    lines.push(
      "",
      "  WARNING: --admin-open: /__admin has no token and this mock listens beyond loopback. Anyone who reaches",
      "  the port can read the API keys and reset or replace the state. Give --admin-token TOKEN to close it.",
    );
  }
  lines.push("", "Stop with Ctrl+C. Flags: --help.");
  return `${lines.join("\n")}\n`;
}
