/**
 * `npm run webhooks:listen`: a small local webhook receiver. It prints one line per event it receives and
 * checks each body against the spec's webhook for its event (lib/webhooks.ts), so a developer can watch
 * what their actions on the mock (or the platform) cause.
 *
 *   npm run webhooks:listen -- [--port 9000] [--host 127.0.0.1] [--body] [--tolerant] [--status 200]
 *
 * --body prints each body too; --tolerant allows properties the spec does not list (for the live
 * platform, which may send more); --status answers with another status (500: watch the mock retry).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createWebhookValidator } from "../lib/webhooks.ts";

export interface ListenOptions {
  port: number;
  host: string;
  /** Print each body, indented, under its line. */
  body: boolean;
  /** Allow properties the spec does not list. */
  tolerant: boolean;
  /** The status every event is answered with. */
  status: number;
  /** Where lines go (stdout by default). */
  print: (line: string) => void;
}

export interface Listener {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** A body's object, for the line: `data.guid`, or what the body lacks. */
const guidOf = (body: unknown) => {
  const data = typeof body === "object" && body !== null ? (body as { data?: { guid?: unknown } }).data : undefined;
  return typeof data?.guid === "string" ? data.guid : "-";
};

export async function startListener(options: Partial<ListenOptions> = {}): Promise<Listener> {
  const { port = 9000, host = "127.0.0.1", body: showBody = false, tolerant = false, status = 200 } = options;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const validate = createWebhookValidator(tolerant ? "tolerant" : "strict");

  const server = createServer((request, response) => {
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" }).end();
      return;
    }
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      const time = new Date().toISOString().slice(11, 19);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        print(`${time}  ${request.url}  not JSON (${text.length} bytes): answered 400`);
        response.writeHead(400).end();
        return;
      }
      const verdict = validate(body);
      const event = verdict.event ?? String((body as { event?: unknown })?.event ?? "(no event)");
      const judged = verdict.problems.length === 0 ? "valid" : `INVALID: ${verdict.problems.join("; ")}`;
      print(`${time}  ${event.padEnd(21)} ${guidOf(body)}  ${judged}`);
      if (showBody) print(JSON.stringify(body, null, 2).replace(/^/gm, "    "));
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "9000" },
      host: { type: "string", default: "127.0.0.1" },
      body: { type: "boolean", default: false },
      tolerant: { type: "boolean", default: false },
      status: { type: "string", default: "200" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run webhooks:listen -- [--port 9000] [--host 127.0.0.1] [--body] [--tolerant] [--status 200]\n",
    );
    return;
  }
  const port = Number(values.port);
  const status = Number(values.status);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected 0 to 65535`);
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new Error(`--status: expected 200 to 599`);
  const listener = await startListener({
    port,
    host: values.host,
    body: values.body,
    tolerant: values.tolerant,
    status,
  });
  // Before the line that says where it listens: a signal sent on reading it must find the handler.
  const stop = () => void listener.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(
    [
      `Listening for webhooks on ${listener.url} (any path); each is checked against the spec.`,
      `Subscribe the mock:  npm start -- --webhook ${listener.url}`,
      `  or while it runs:  curl -X POST http://127.0.0.1:4010/__admin/webhooks -H 'content-type: application/json' -d '{"url": "${listener.url}"}'`,
      "Stop with Ctrl+C.",
      "",
    ].join("\n"),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`webhooks:listen: ${(error as Error).message}\n`);
    process.exit(error instanceof Error && /^--/.test(error.message) ? 2 : 1);
  });
}
