/**
 * `converseiq-mock proxy`: the validating proxy (mock-server/proxy/) from the command line. Reads its flags
 * (`parseProxyCli`, its own small table: the mock's flags mean nothing to it), starts it, prints the line
 * it listens on (`ConverseIQ validating proxy: http://HOST:PORT/public/v1`, so that a script started with
 * `--port 0` can read the port), and on SIGINT/SIGTERM stops, writing the report with `--report FILE`.
 *
 * The key is taken from `--api-key` or, better (a flag shows in `ps`), `CONVERSEIQ_API_KEY`; it is never
 * printed. Exit codes as the mock's: 0 stopped by a signal, --help or --version, 1 could not start (or the
 * recording could not be written), 2 a bad flag. With `--record FILE`, the last line says what FILE holds
 * (proxy/record-file.ts, `describeOutcome`).
 */
import { CommandLineError, packageVersion, readCommandLine } from "../../lib/command-line.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import type { ProxyOptions } from "../proxy/types.ts";
import { parseUpstream, UpstreamError } from "../proxy/upstream.ts";
import { parseInteger, UsageError } from "./values.ts";

export const PROXY_NAME = "converseiq-mock proxy";
export const DEFAULT_PROXY_PORT = 4011;
/** The line the proxy prints once it listens; the first group is its origin. */
export const PROXY_LISTENING = /^ConverseIQ validating proxy: (http:\/\/[^\s/]+)/m;

interface ProxyFlag {
  name: string;
  value?: string;
  help: string;
}

export const PROXY_FLAGS: ProxyFlag[] = [
  {
    name: "upstream",
    value: "URL",
    help: "The API's base URL as documented (.../public/v1), or its origin alone (required).",
  },
  { name: "port", value: "N", help: `Port to listen on (default ${DEFAULT_PROXY_PORT}; 0 picks a free one).` },
  { name: "host", value: "HOST", help: "Address to listen on (default 127.0.0.1)." },
  {
    name: "api-key",
    value: "KEY",
    help: "Sent as x-api-key when the caller sends none (or env CONVERSEIQ_API_KEY). Never printed.",
  },
  { name: "allow-writes", help: "Forward POST, PUT and DELETE (else answered 403 forbidden)." },
  { name: "timeout", value: "MS", help: "How long to wait for the upstream (default 30000), then 504." },
  {
    name: "max-upstream-body",
    value: "BYTES",
    help: "The most of an upstream answer's body read (default 67108864, 64 MiB), then 502.",
  },
  { name: "report", value: "FILE", help: "On stop, write the report to FILE.md and FILE.json." },
  {
    name: "record",
    value: "FILE",
    help: "Record every object answered, personal data replaced, as a state file for --state FILE.",
  },
  {
    name: "record-key",
    value: "KEY",
    help: "The key of the hash that picks the fakes (or env CONVERSEIQ_RECORD_KEY).",
  },
  { name: "quiet", help: "Print only the line it listens on and the violations (no request log)." },
];

export interface ProxyCliConfig {
  options: ProxyOptions;
  /** `--record FILE` (proxy/record-file.ts), with the key of its fakes when one is given. */
  record?: { file: string; key?: string };
  quiet: boolean;
}

/** `help`: nothing to start, only text to print: the usage, or with `version` the package's version. */
export type ProxyCliRequest = { help: true; version?: true } | { help: false; config: ProxyCliConfig };

export function parseProxyCli(argv: string[], env: NodeJS.ProcessEnv): ProxyCliRequest {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = readCommandLine(argv, {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
      ...Object.fromEntries(PROXY_FLAGS.map((f) => [f.name, { type: f.value ? "string" : "boolean" } as const])),
    }));
  } catch (error) {
    if (error instanceof CommandLineError) throw new UsageError(error.message);
    throw error;
  }
  if (values.help) return { help: true };
  if (values.version) return { help: true, version: true };
  const upstream = values.upstream as string | undefined;
  if (upstream === undefined) throw new UsageError("--upstream URL is required");
  try {
    parseUpstream(upstream);
  } catch (error) {
    if (error instanceof UpstreamError) throw new UsageError(`--upstream: ${error.message}`);
    throw error;
  }
  const apiKey = (values["api-key"] as string | undefined) ?? env.CONVERSEIQ_API_KEY?.trim();
  // Named in the message, as the mock's flags are: `--port: expected a number from 0 to 65535, got -1`.
  const integer = (name: string, min: number, max: number) => {
    try {
      return parseInteger(values[name] as string, min, max);
    } catch (error) {
      throw new UsageError(`--${name}: ${(error as Error).message}`);
    }
  };
  const options: ProxyOptions = {
    upstream,
    port: values.port === undefined ? DEFAULT_PROXY_PORT : integer("port", 0, 65535),
    host: (values.host as string | undefined) ?? "127.0.0.1",
    allowWrites: values["allow-writes"] === true,
    ...(apiKey ? { apiKey } : {}),
    ...(values.timeout === undefined ? {} : { timeoutMs: integer("timeout", 1, 3_600_000) }),
    ...(values["max-upstream-body"] === undefined
      ? {}
      : { maxUpstreamBody: integer("max-upstream-body", 1, Number.MAX_SAFE_INTEGER) }),
    ...(values.report === undefined ? {} : { reportFile: values.report as string }),
  };
  const recordKey = (values["record-key"] as string | undefined) ?? env.CONVERSEIQ_RECORD_KEY?.trim();
  if (recordKey !== undefined && values.record === undefined) throw new UsageError("--record-key needs --record FILE");
  const record =
    values.record === undefined
      ? {}
      : { record: { file: values.record as string, ...(recordKey ? { key: recordKey } : {}) } };
  return { help: false, config: { options, quiet: values.quiet === true, ...record } };
}

export function proxyUsage(): string {
  const label = (f: ProxyFlag) => `--${f.name}${f.value ? ` ${f.value}` : ""}`;
  const width = Math.max(...PROXY_FLAGS.map((f) => label(f).length)) + 2;
  return [
    "Usage: converseiq-mock proxy --upstream URL [options]",
    "",
    "The validating proxy: forwards each request to the live API, passes its answer back unchanged, and",
    "checks request and answer against the spec; violations are logged and listed at GET /__admin/violations.",
    "",
    ...PROXY_FLAGS.map((f) => `  ${label(f).padEnd(width)}${f.help}`),
    `  ${"-h, --help".padEnd(width)}Show this text and exit.`,
    `  ${"-v, --version".padEnd(width)}Print the version and exit.`,
    "",
  ].join("\n");
}

/** Runs the proxy until SIGINT/SIGTERM. `fail` prints and exits (the CLI's). */
export async function runProxy(
  argv: string[],
  env: NodeJS.ProcessEnv,
  fail: (code: 1 | 2, message: string, hint?: string) => never,
): Promise<void> {
  let request: ProxyCliRequest;
  try {
    request = parseProxyCli(argv, env);
  } catch (error) {
    if (error instanceof UsageError) fail(2, error.message, `Run ${PROXY_NAME} --help for the flags.\n`);
    throw error;
  }
  if (request.help) {
    process.stdout.write(request.version ? `${packageVersion()}\n` : proxyUsage());
    return;
  }
  const { options, quiet, record } = request.config;
  const { startProxy } = await import("../proxy/index.ts");
  const { describeOutcome, recordToFile } = await import("../proxy/record-file.ts");
  const { describeLeftOut } = await import("../proxy/record.ts");
  const recording =
    record &&
    recordToFile(record.file, {
      ...(record.key === undefined ? {} : { seed: record.key }),
      onError: (error) => process.stderr.write(`${PROXY_NAME}: ${(error as Error).message}\n`),
      onLeftOut: (out) =>
        process.stderr.write(
          `${PROXY_NAME}: left out of the recording, not matching the spec: ${describeLeftOut(out)}\n`,
        ),
    });
  const log = (line: string) => {
    if (!quiet || line.startsWith("violation ")) process.stdout.write(`${line}\n`);
  };
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy({ ...options, log, ...(recording ? { onExchange: recording.observe } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") fail(1, `port ${options.port} is in use: pick another with --port.`);
    throw error;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    try {
      await proxy.close();
      if (options.reportFile !== undefined) {
        const base = options.reportFile.replace(/\.(md|json)$/, "");
        process.stdout.write(`Report: ${base}.md, ${base}.json\n`);
      }
      // The recording's outcome is the last line, as written: a file that could not be written exits 1.
      const outcome = recording ? await recording.finish() : undefined;
      if (outcome) process.stdout.write(`${describeOutcome(outcome)}\n`);
      process.exit(outcome?.result === "failed" ? 1 : 0);
    } catch (error) {
      fail(1, `failed to close cleanly: ${(error as Error).message}`);
    }
  };
  // Before the line that says where it listens: whoever started it may stop it as soon as it reads that
  // line, and a signal with no handler yet would kill it outright, the recording unwritten.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(`ConverseIQ validating proxy: ${proxy.origin}${PUBLIC_PREFIX} -> ${proxy.upstream.base}\n`);
}
