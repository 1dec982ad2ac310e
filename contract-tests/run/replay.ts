/**
 * `replayJournal(options)` (`converseiq-contract --replay FILE`): a consumer's own traffic as a contract.
 * The journal the mock kept of the consumer's test run (replay-file.ts) is sent again to another server,
 * the real API, and each answer is checked three ways: the same status class as the mock gave, valid
 * against the spec (the shared validator, lib/response-validator.ts), and carrying every field the
 * consumer's tests received from the mock (replay-fields.ts). A failure says what the consumer's tests
 * rely on that the target does not give.
 *
 * The preflight (preflight.ts) runs first. Reads are sent; writes only with `allowWrites`, in order, and
 * only those that touch what the replay itself created: ids are mapped from the mock's answers to the
 * target's (replay-ids.ts), and what the replay created is deleted at the end, so the target is left as
 * it was found. Exit codes as the contract run's: 0 every check held, 1 one failed, 2 it could not check
 * (a bad file, the preflight).
 */
import { resolve } from "node:path";
import { createRedactor } from "../../client/redact.ts";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { createResponseValidator, type Mode, type Problem } from "../../lib/response-validator.ts";
import { listOperations, type Operation } from "../../lib/spec.ts";
import { preflight } from "./preflight.ts";
import { missingFields } from "./replay-fields.ts";
import { type JournalFile, type JournalFileEntry, JournalFileError, readJournalFile } from "./replay-file.ts";
import { IdMap } from "./replay-ids.ts";
import { REPLAY_SUITE, replayChecks } from "./replay-report.ts";
import type { CheckRecord } from "./report/checks.ts";
import { REPORTERS, type ReporterName, writeReports } from "./report/write.ts";

export { type JournalFile, type JournalFileEntry, JournalFileError } from "./replay-file.ts";

export interface ReplayOptions {
  /** The journal: a file's path, or the document (`mock.journal()`). */
  journal: string | JournalFile;
  /** The target API's base URL (`…/public/v1`). */
  baseUrl: string;
  /** Its API key. */
  apiKey?: string | undefined;
  /** Also send the journal's writes (POST, PUT, DELETE) that touch what the replay created. Default false. */
  allowWrites?: boolean | undefined;
  /** How bodies are judged against the spec: `tolerant` (default: undocumented fields allowed) or `strict`. */
  mode?: Mode | undefined;
  /** The fetch to send with (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Told each line of the report as it is made, but the problem of a replay that could not be made (default: none; `lines` holds them all). */
  print?: ((line: string) => void) | undefined;
  /** A JUnit XML file of the replay, for CI: one test case per request (none when it could not be made). */
  junit?: string | undefined;
  /** A JSON file of the replay, for tools: every request as a check, the distinct failures with counts. */
  json?: string | undefined;
  /** `github`: also GitHub Actions annotations (told to `print`) and a job summary (`$GITHUB_STEP_SUMMARY`). */
  reporter?: ReporterName | undefined;
}

/** One defect, as many requests showed it. */
export interface ReplayFailure {
  operationId: string;
  message: string;
  /** How many requests showed it. */
  count: number;
  /** The first of them: `GET /contact/…`. */
  example: string;
}

export interface ReplayedRequest {
  operationId: string;
  method: string;
  /** As sent to the target (ids mapped). */
  path: string;
  outcome: "passed" | "failed" | "not sent" | "not checked";
  /** Why it failed, was not sent or not checked. */
  reasons: string[];
  mockStatus: number;
  targetStatus?: number;
}

export interface ReplayResult {
  /** Every request sent passed its checks. */
  ok: boolean;
  /** 0 every check held, 1 a check failed, 2 the replay could not be made (bad file, preflight). */
  exitCode: 0 | 1 | 2;
  requests: ReplayedRequest[];
  /** Each distinct defect once. */
  failures: ReplayFailure[];
  /** What the replay created and could not delete. */
  leftOnTarget: string[];
  /** Why the replay could not be made (exit 2). */
  problem?: string;
  /** The report, line by line, as the command prints it. */
  lines: string[];
  /** The JUnit file written, absolute, when `junit` was given and the replay was made. */
  junit?: string;
  /** The JSON file written, absolute, when `json` was given and the replay was made. */
  json?: string;
}

const operations = listOperations();
const byId = new Map(operations.map((op) => [op.id as string, op]));
const matcher = createOperationMatcher(operations);
const READS = new Set(["GET", "HEAD"]);

export async function replayJournal(options: ReplayOptions): Promise<ReplayResult> {
  const lines: string[] = [];
  const redact = options.apiKey ? createRedactor(options.apiKey).redact : (text: string) => text;
  const print = (line: string) => {
    const safe = redact(line);
    lines.push(safe);
    options.print?.(safe);
  };
  // Not printed: the command says it on stderr (replay-command.ts); a caller in code reads `problem`.
  const cannot = (problem: string): ReplayResult => {
    lines.push(redact(`converseiq-contract: ${problem}`));
    return { ok: false, exitCode: 2, requests: [], failures: [], leftOnTarget: [], problem: redact(problem), lines };
  };

  const reporter = options.reporter ?? "default";
  if (!REPORTERS.includes(reporter))
    return cannot(`unknown reporter ${reporter}; the reporters are ${REPORTERS.join(", ")}`);

  let journal: JournalFile;
  try {
    journal = typeof options.journal === "string" ? await readJournalFile(options.journal) : options.journal;
  } catch (error) {
    if (error instanceof JournalFileError) return cannot(error.message);
    throw error;
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const send = options.fetch ?? fetch;
  const ready = await preflight({ baseUrl, apiKey: options.apiKey, fetch: send });
  if (!ready.ok) return cannot(ready.message);

  const source = typeof options.journal === "string" ? options.journal : "the journal";
  print(`Replaying ${source} (${journal.entries.length} requests) against ${baseUrl}`);
  if (journal.dropped > 0) {
    print(`  (the mock's journal dropped ${journal.dropped} earlier requests past its capacity: not replayed)`);
  }

  const replay = new Replay(options, baseUrl, send);
  const requests: ReplayedRequest[] = [];
  for (const entry of journal.entries) {
    const replayed = await replay.entry(entry);
    requests.push(replayed);
    print(requestLine(replayed));
  }
  const leftOnTarget = await replay.cleanUp();

  const failures = [...replay.failures.values()];
  if (failures.length > 0) {
    print("");
    print(`Failures (${failures.length}):`);
    for (const failure of failures) {
      const times = failure.count === 1 ? "" : ` (${failure.count} requests; first: ${failure.example})`;
      print(`  ✗ ${failure.message}${failure.count === 1 ? ` (${failure.example})` : times}`);
    }
  }
  if (leftOnTarget.length > 0) {
    print("");
    print(`Left on the target (${leftOnTarget.length}): delete them by hand:`);
    for (const left of leftOnTarget) print(`  ${left}`);
  }
  const count = (outcome: ReplayedRequest["outcome"]) => requests.filter((r) => r.outcome === outcome).length;
  const ok = failures.length === 0;
  const junit = options.junit === undefined ? undefined : resolve(options.junit);
  const json = options.json === undefined ? undefined : resolve(options.json);
  const checks = replayChecks(requests).map((check) => redactCheck(check, redact));
  const title = redact(`Replay of ${source}`);
  const target = redact(baseUrl);
  writeReports(checks, { target, suites: [REPLAY_SUITE], ok, reporter, junit, json, title }, print);
  print("");
  print(
    `converseiq-contract: ${ok ? "every replayed answer held" : "FAILED"} against ${baseUrl} (requests: ` +
      `${count("passed")} passed, ${count("failed")} failed, ${count("not checked")} not checked, ${count("not sent")} not sent)`,
  );
  return {
    ok,
    exitCode: ok ? 0 : 1,
    requests,
    failures,
    leftOnTarget,
    lines,
    ...(junit === undefined ? {} : { junit }),
    ...(json === undefined ? {} : { json }),
  };
}

/** A check as the files have it: without the key, as every printed line (a path or a reason could hold it). */
function redactCheck(check: CheckRecord, redact: (text: string) => string): CheckRecord {
  const out: CheckRecord = { ...check, name: redact(check.name), rule: redact(check.rule) };
  if (check.error !== undefined) out.error = redact(check.error);
  if (check.reason !== undefined) out.reason = redact(check.reason);
  return out;
}

function requestLine(request: ReplayedRequest): string {
  const mark = { passed: "✓", failed: "✗", "not sent": "-", "not checked": "?" }[request.outcome];
  const status =
    request.targetStatus === undefined
      ? `mock ${request.mockStatus}`
      : `${request.targetStatus} (mock ${request.mockStatus})`;
  const head = `${mark} ${request.method} ${request.path}  ${request.operationId}  ${status}`;
  if (request.reasons.length === 0) return head;
  return `${head}\n${request.reasons.map((reason) => `    ${reason}`).join("\n")}`;
}

/** What the replay created on the target: how to delete it, and whether the journal already did. */
interface Created {
  mockId: string;
  label: string;
  /** Where it was made, on the target: `/chat/abc/message`. */
  collection: string;
  deletePath: string | undefined;
  deleted: boolean;
}

/** The state of one replay: the ids learnt, what it created, the defects found. */
class Replay {
  readonly failures = new Map<string, ReplayFailure>();
  private readonly ids = new IdMap();
  private readonly created: Created[] = [];
  /** The mock's ids of what the journal's creates made, when they were not sent. */
  private readonly notMade = new Set<string>();
  private readonly validate: ReturnType<typeof createResponseValidator>;

  constructor(
    private readonly options: ReplayOptions,
    private readonly baseUrl: string,
    private readonly send: typeof fetch,
  ) {
    this.validate = createResponseValidator(options.mode ?? "tolerant");
  }

  async entry(entry: JournalFileEntry): Promise<ReplayedRequest> {
    const path = this.ids.path(entry.path);
    const base = { operationId: entry.operationId, method: entry.method, path, mockStatus: entry.status };
    const notSent = (reason: string): ReplayedRequest => ({ ...base, outcome: "not sent", reasons: [reason] });
    const op = byId.get(entry.operationId);
    if (op === undefined) return notSent(`the spec has no operation ${entry.operationId}`);
    if (entry.simulated) return notSent("the mock's own answer (a Prefer status, a fault or the rate limit)");
    if (entry.status === 401) return notSent("the mock refused the key it was sent; a replay sends the target's");
    const pathIds = this.pathIds(op, entry);
    const unknownIds = pathIds.filter((id) => !this.ids.has(id));
    const write = !READS.has(entry.method);
    if (pathIds.some((id) => this.notMade.has(id))) {
      return notSent("it names what a write not sent made on the mock (--allow-writes sends both)");
    }
    if (write && !this.options.allowWrites) {
      const made = entry.method === "POST" ? topId(entry.responseBody) : undefined;
      if (made !== undefined) this.notMade.add(made);
      return notSent("a write: --allow-writes sends it");
    }
    if (write && pathIds.some((id) => !this.createdHere(id))) {
      return notSent("it changes data this replay did not create");
    }

    const body = entry.requestBody === undefined ? undefined : JSON.stringify(this.ids.body(entry.requestBody));
    const example = `${entry.method} ${path}`;
    let response: Response;
    let text: string;
    try {
      response = await this.send(`${this.baseUrl}${path}`, {
        method: entry.method,
        headers: {
          accept: "application/json",
          ...(this.options.apiKey ? { "x-api-key": this.options.apiKey } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body }),
      });
      text = await response.text();
    } catch (error) {
      // The preflight passed, so the target went away or broke the connection: a failure of this request.
      const message = `the target did not answer ${op.id}: ${(error as Error).message}`;
      this.count(op.id, "no answer", message, example);
      return { ...base, outcome: "failed", reasons: [message] };
    }
    const targetStatus = response.status;
    const sent = { ...base, targetStatus };

    const sameClass = Math.floor(targetStatus / 100) === Math.floor(entry.status / 100);
    if (!sameClass && entry.status < 300 && targetStatus === 404 && unknownIds.length > 0) {
      return {
        ...sent,
        outcome: "not checked",
        reasons: [`it names ${unknownIds.join(", ")} of the mock's data, which the target does not have`],
      };
    }
    const reasons: string[] = [];
    const fail = (key: string, message: string) => {
      reasons.push(message);
      this.count(op.id, key, message, example);
    };
    if (!sameClass) {
      fail(
        `status ${Math.floor(entry.status / 100)} ${Math.floor(targetStatus / 100)}`,
        `${op.id} answered ${targetStatus} where the mock answered ${entry.status}, and your tests took that answer`,
      );
    }
    const verdict = this.validate(op, {
      status: targetStatus,
      contentType: response.headers.get("content-type") ?? undefined,
      headers: Object.fromEntries(response.headers),
      text,
    });
    const missing =
      sameClass && !entry.bodiesOmitted && entry.responseBody !== undefined
        ? missingFields(entry.responseBody, verdict.body)
        : [];
    for (const field of missing) {
      fail(`field ${field}`, `your tests read \`${field}\` from ${op.id}; the target does not send it`);
    }
    for (const problem of verdict.problems) {
      // A field the spec requires and the consumer's tests read is one defect: said once, as the field.
      if (missing.includes(requiredField(problem) ?? "")) continue;
      fail(`spec ${problem.message}`, `${op.id} breaks the spec: ${problem.message}`);
    }
    if (targetStatus < 300) this.learn(op, entry, verdict.body, sameClass);
    return { ...sent, outcome: reasons.length === 0 ? "passed" : "failed", reasons };
  }

  /** One more request that showed a defect: the first is kept as the example. */
  private count(operationId: string, key: string, message: string, example: string): void {
    const known = this.failures.get(`${operationId} ${key}`);
    if (known) known.count++;
    else this.failures.set(`${operationId} ${key}`, { operationId, message, count: 1, example });
  }

  /** The ids in the request's path, as the mock's data had them. */
  private pathIds(op: Operation, entry: JournalFileEntry): string[] {
    const path = entry.path.split("?")[0] ?? "";
    return Object.values(matcher.match(op.method, path).params);
  }

  private createdHere(mockId: string): boolean {
    return this.created.some((made) => made.mockId === mockId);
  }

  /**
   * Learns the ids of an answer (when the mock's answer was a success too); a create is remembered to be
   * deleted, whatever the mock answered, and a delete of it crosses it off.
   */
  private learn(op: Operation, entry: JournalFileEntry, targetBody: unknown, mockSucceeded: boolean): void {
    const create = entry.method === "POST";
    if (mockSucceeded) this.ids.learn(entry.responseBody, targetBody, create);
    const targetId = topId(targetBody);
    if (create && targetId !== undefined) {
      const remover = operations.find((other) => other.method === "delete" && isItemOf(other.path, op.path));
      const collection = this.ids.path(entry.path.split("?")[0] ?? "");
      this.created.push({
        mockId: (mockSucceeded ? topId(entry.responseBody) : undefined) ?? targetId,
        label: `${op.id} made ${collection}/${targetId}`,
        collection,
        deletePath: remover ? `${collection}/${encodeURIComponent(targetId)}` : undefined,
        deleted: false,
      });
    }
    if (entry.method === "DELETE") {
      const path = this.ids.path(entry.path.split("?")[0] ?? "");
      for (const made of this.created) if (made.deletePath === path) made.deleted = true;
    }
  }

  /** Deletes what the replay created and the journal left, newest first; names what it could not. */
  async cleanUp(): Promise<string[]> {
    const left: string[] = [];
    for (const made of [...this.created].reverse()) {
      if (made.deleted) continue;
      if (made.deletePath === undefined) {
        // A chat's message has no delete of its own: it goes with its chat, when the replay made the chat.
        const parentMade = this.created.some(
          (other) => other.deletePath !== undefined && made.collection.startsWith(`${other.deletePath}/`),
        );
        if (!parentMade) left.push(`${made.label}: no operation deletes it`);
        continue;
      }
      const response = await this.send(`${this.baseUrl}${made.deletePath}`, {
        method: "DELETE",
        headers: this.options.apiKey ? { "x-api-key": this.options.apiKey } : {},
      });
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) left.push(`${made.label}: DELETE answered ${response.status}`);
    }
    return left;
  }
}

/** The field a schema problem says is required and missing, as replay-fields.ts names it (`data[].company`). */
function requiredField(problem: Problem): string | undefined {
  const name = /must have required property '([^']+)'/.exec(problem.message)?.[1];
  if (name === undefined || problem.instancePath === undefined) return undefined;
  const parent = problem.instancePath
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? "[]" : `.${part.replace(/~1/g, "/").replace(/~0/g, "~")}`))
    .join("")
    .replace(/^\./, "");
  return parent === "" ? name : `${parent}.${name}`;
}

/** `POST /contact` makes what `DELETE /contact/{contactId}` removes. */
function isItemOf(itemPath: string, collectionPath: string): boolean {
  return new RegExp(`^${collectionPath.replace(/[.*+?^$()|[\]\\]/g, "\\$&")}/\\{[^}/]+\\}$`).test(itemPath);
}

function topId(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { guid, id } = body as { guid?: unknown; id?: unknown };
  if (typeof guid === "string") return guid;
  return typeof id === "string" ? id : undefined;
}
