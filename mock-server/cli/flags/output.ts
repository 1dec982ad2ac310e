/** The flags of what the mock prints or writes: the request log, the coverage and the journal file when it stops. */
import { parseCoverageRequirement } from "../../engine/coverage.ts";
import { DEFAULT_EVENT_CAPACITY } from "../../engine/events.ts";
import type { LogFormat } from "../../transports/request-log.ts";
import { parseList, UsageError } from "../values.ts";
import type { Flag } from "./types.ts";

const LOG_FORMATS: LogFormat[] = ["pretty", "json"];

export const OUTPUT_FLAGS: Flag[] = [
  {
    kind: "switch",
    name: "quiet",
    env: "MOCK_QUIET",
    group: "Output",
    help: "Only the line saying where it listens: no banner, no log line per request.",
    apply: (config, on) => {
      config.quiet = on;
    },
  },
  {
    kind: "value",
    name: "log-format",
    env: "MOCK_LOG_FORMAT",
    group: "Output",
    value: "FORMAT",
    help: "How each request is logged: pretty, a line (GET /public/v1/contact?limit=2 200 1.4ms, and the reason of a 4xx), or json, pino's JSON lines (method, path, query, status, ms, code, reason). Headers are never logged.",
    shown: "pretty",
    apply: (config, text) => {
      if (!LOG_FORMATS.includes(text as LogFormat)) throw new UsageError(`expected ${LOG_FORMATS.join(" or ")}`);
      config.options.logFormat = text as LogFormat;
    },
  },
  {
    kind: "switch",
    name: "coverage",
    env: "MOCK_COVERAGE",
    group: "Output",
    help: "When stopped (SIGINT/SIGTERM), print each operation's documented statuses: those answered, with their counts, and those never answered (GET /__admin/coverage).",
    apply: (config, on) => {
      config.coverage = on;
    },
  },
  {
    kind: "list",
    name: "coverage-require",
    env: "MOCK_COVERAGE_REQUIRE",
    group: "Output",
    value: "STATUS",
    help: "When stopped, print the coverage and exit 1 if one of these was never answered: a status (404: by any operation) or an operation's (getContact:404); repeat the flag or separate by commas.",
    apply: (config, items) => {
      try {
        config.coverageRequire = items.flatMap(parseList).map(parseCoverageRequirement);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (items.length > 0) config.coverage = true;
    },
  },
  {
    kind: "switch",
    name: "keep-events",
    env: "MOCK_KEEP_EVENTS",
    group: "Output",
    help: "Keep the latest 1000 webhook events of each workspace for GET /__admin/events (a control's events()). Off in this command: keeping them costs a running server about a fifth of its POST rate; startMock and the in-process transports keep them.",
    apply: (config, on) => {
      config.options.eventCapacity = on ? DEFAULT_EVENT_CAPACITY : 0;
    },
  },
  {
    kind: "value",
    name: "journal-out",
    env: "MOCK_JOURNAL_OUT",
    group: "Output",
    value: "FILE",
    help: "When stopped (SIGINT/SIGTERM), write the journal of the public API requests answered, with their bodies, to FILE (GET /__admin/journal; no API key in it): replay it against the real API with converseiq-contract --replay FILE.",
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("expected a file name");
      config.journalOut = text;
    },
  },
];
