/**
 * The mock server's command line (`npm start`, `converseiq-mock`): reads flags and environment variables
 * (cli/flags.ts), builds the server, listens, prints the banner, and on SIGINT/SIGTERM closes the server,
 * which writes the state file when there is one, writes the journal file with --journal-out, prints the
 * coverage table with --coverage, and exits 0.
 *
 * `converseiq-mock proxy ...` runs the validating proxy instead (cli/proxy.ts).
 *
 * Exit codes: 0 stopped by a signal, or --help or --version; 1 could not start (port in use, ...), failed
 * to close, or a status of --coverage-require was never answered, or the journal file could not be
 * written; 2 a bad flag, environment variable, state file or --journal-out folder (a message, no stack
 * trace).
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { packageVersion } from "../lib/command-line.ts";
import type { MockServer } from "./app.ts";
import { banner, headline } from "./cli/banner.ts";
import { type CliConfig, isLoopback, parseCli, usage } from "./cli/flags.ts";
import { journalOutProblem, writeJournalOut } from "./cli/journal-out.ts";
import { UsageError } from "./cli/values.ts";
import { formatCoverage, unmetRequirements } from "./engine/coverage.ts";

const NAME = "converseiq-mock";

function fail(code: 1 | 2, message: string, hint = ""): never {
  process.stderr.write(`${NAME}: ${message}\n${hint}`);
  process.exit(code);
}

async function start(config: CliConfig): Promise<MockServer> {
  const journalProblem = config.journalOut === undefined ? undefined : journalOutProblem(config.journalOut);
  if (journalProblem) fail(2, journalProblem);
  const stateLoaded = config.options.stateFile !== undefined && existsSync(config.options.stateFile);
  // Loaded only now, so that --help and a bad flag answer without loading the server.
  const { buildMockServer } = await import("./app.ts");
  const { StateFileError } = await import("./state-file.ts");
  // From outage.ts, not replica.ts: only a mock started with --redis loads the Redis client.
  const { RedisUnreachableError } = await import("./replication/outage.ts");
  let app: MockServer;
  try {
    app = await buildMockServer({
      ...config.options,
      // What a running server keeps only when asked (--journal-out, --keep-events): both slow it (mock-options.ts).
      journalBodies: config.journalOut !== undefined,
      eventCapacity: config.options.eventCapacity ?? 0,
      logger: !config.quiet,
    });
  } catch (error) {
    if (error instanceof StateFileError || error instanceof RangeError) fail(2, error.message);
    if (error instanceof RedisUnreachableError) fail(1, error.message);
    throw error;
  }
  // Before it listens: whoever starts it may stop it as soon as it says where it listens, and a signal with
  // no handler yet would kill it outright, with nothing written.
  stopOnSignals(app, config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") fail(1, `port ${config.port} on ${config.host} is in use: pick another with --port.`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") fail(1, `cannot listen on host ${config.host} (${code}).`);
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  // Quiet or not, where it listens is printed: with --port 0, that is the only way to know the port.
  if (config.quiet) process.stdout.write(`${headline(origin)}\n`);
  else
    process.stdout.write(
      banner({ origin, options: app.mockOptions, stateLoaded, adminOpen: openBeyondLoopback(config) }),
    );
  // Quiet, the warning still goes out, on stderr.
  if (config.quiet && openBeyondLoopback(config)) {
    process.stderr.write(`${NAME}: --admin-open: /__admin has no token and listens beyond loopback.\n`);
  }
  return app;
}

/**
 * With --coverage, the table of the statuses answered; with --coverage-require, the exit code: 1 when one
 * required was never answered, each named on stderr.
 */
/** `--admin-open` in effect: beyond loopback, with no admin token. */
const openBeyondLoopback = (config: CliConfig) =>
  config.adminOpen && !isLoopback(config.host) && config.options.adminToken === undefined;

function coverageOnStop(app: MockServer, config: CliConfig): 0 | 1 {
  if (!config.coverage) return 0;
  const report = app.engine.coverage.report();
  process.stdout.write(formatCoverage(report));
  const unmet = unmetRequirements(report, config.coverageRequire);
  for (const line of unmet) process.stderr.write(`${NAME}: --coverage-require ${line}.\n`);
  return unmet.length > 0 ? 1 : 0;
}

function journalOnStop(app: MockServer, file: string): void {
  try {
    const count = writeJournalOut(app, file);
    process.stderr.write(`${NAME}: wrote ${count} request${count === 1 ? "" : "s"} to ${file} (--journal-out).\n`);
  } catch (error) {
    fail(1, `--journal-out ${file}: could not write it: ${(error as Error).message}`);
  }
}

function stopOnSignals(app: MockServer, config: CliConfig): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${NAME}: ${signal} again, exiting without waiting.\n`);
      process.exit(1);
    }
    stopping = true;
    try {
      // Closing stops the server, writes the state file if there is one and stops the webhook deliveries.
      await app.close();
      if (config.journalOut !== undefined) journalOnStop(app, config.journalOut);
      process.exit(coverageOnStop(app, config));
    } catch (error) {
      fail(1, `failed to close cleanly: ${(error as Error).message}`);
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv[0] === "proxy") {
    // The validating proxy (cli/proxy.ts): a command of its own, with its own flags.
    const { runProxy } = await import("./cli/proxy.ts");
    return runProxy(argv.slice(1), env, fail);
  }
  let request: ReturnType<typeof parseCli>;
  try {
    request = parseCli(argv, env);
  } catch (error) {
    if (error instanceof UsageError) fail(2, error.message, `Run ${NAME} --help for the flags.\n`);
    throw error;
  }
  if (request.help) {
    process.stdout.write(request.version ? `${packageVersion()}\n` : usage());
    return;
  }
  await start(request.config);
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  process.stderr.write(
    `${NAME}: could not start: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
  );
  process.exit(1);
});
