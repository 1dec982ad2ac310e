/**
 * `converseiq-contract --replay FILE --base-url URL`: the command line of `replayJournal` (replay.ts).
 * cli.ts hands it every command line that has `--replay`. The URL and key come from the flags, else from
 * CONVERSEIQ_BASE_URL and CONVERSEIQ_API_KEY; an error names what the user gave.
 */
import { parseArgs } from "node:util";
import { replayJournal } from "./replay.ts";
import { couldNotRunAnnotation } from "./report/github.ts";
import { REPORTERS, type ReporterName } from "./report/write.ts";

export const REPLAY_USAGE = `Usage: converseiq-contract --replay FILE --base-url URL --api-key KEY [options]

Replays a journal of your tests' traffic to the mock (converseiq-mock --journal-out FILE,
GET /__admin/journal or mock.journal()) against URL, and checks each answer: the same status class
as the mock gave, valid against the spec, and carrying every field your tests received from the mock.

  --replay FILE         the journal file
  --base-url URL        the API's base URL (…/public/v1), or set CONVERSEIQ_BASE_URL
  --api-key KEY         its API key, or set CONVERSEIQ_API_KEY
  --allow-writes        also send the journal's writes that touch what the replay creates, in order,
                        with the target's ids, and delete what it created at the end
  --mode MODE           tolerant (default: undocumented fields allowed) or strict
  --junit FILE          also write a JUnit XML report (one test case per replayed request)
  --json FILE           also write the requests as checks and the distinct failures as JSON, for tools
  --reporter NAME       default, or github: also GitHub Actions error annotations, and a Markdown
                        job summary appended to $GITHUB_STEP_SUMMARY when it is set
  -h, --help            this text

Exit code: 0 every replayed answer held, 1 one failed, 2 bad usage, a bad file, or the target
could not be checked (unreachable, not this API, key refused); no report file is written then.`;

/** Runs `--replay`; resolves to the exit code. */
export async function replayCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const usage = (message: string) => {
    console.error(`converseiq-contract: ${message}\nRun converseiq-contract --replay FILE --help for the flags.`);
    return 2;
  };
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    return usage((error as Error).message);
  }
  if (values.help) {
    console.log(REPLAY_USAGE);
    return 0;
  }
  const file = values.replay;
  if (!file) return usage("--replay needs a FILE");
  const baseUrl = values["base-url"] ?? (env.CONVERSEIQ_BASE_URL || undefined);
  const from = values["base-url"] !== undefined ? "--base-url" : "CONVERSEIQ_BASE_URL";
  if (!baseUrl) return usage("--base-url is required (or set CONVERSEIQ_BASE_URL)");
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    return usage(`${from} ${baseUrl} is not an http(s) URL`);
  }
  const mode = values.mode;
  if (mode !== undefined && mode !== "strict" && mode !== "tolerant") {
    return usage(`--mode must be strict or tolerant; got ${mode}`);
  }
  const reporter = values.reporter;
  if (reporter !== undefined && !(REPORTERS as readonly string[]).includes(reporter)) {
    return usage(`--reporter must be ${REPORTERS.join(" or ")}; got ${reporter}`);
  }
  const result = await replayJournal({
    journal: file,
    baseUrl,
    apiKey: values["api-key"] ?? (env.CONVERSEIQ_API_KEY || undefined),
    allowWrites: values["allow-writes"] ?? false,
    mode,
    junit: values.junit,
    json: values.json,
    reporter: reporter as ReporterName | undefined,
    print: (line) => console.log(line),
  });
  if (result.problem !== undefined) {
    console.error(`converseiq-contract: ${result.problem}`);
    // As the contract run: in GitHub Actions the reason is an annotation too, not only a log line.
    if (reporter === "github") console.log(couldNotRunAnnotation(result.problem));
    return result.exitCode;
  }
  if (result.junit) console.log(`JUnit report: ${result.junit}`);
  if (result.json) console.log(`JSON report: ${result.json}`);
  return result.exitCode;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      replay: { type: "string" },
      "base-url": { type: "string" },
      "api-key": { type: "string" },
      "allow-writes": { type: "boolean" },
      mode: { type: "string" },
      junit: { type: "string" },
      json: { type: "string" },
      reporter: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
