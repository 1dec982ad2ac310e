/**
 * The one checker every request of every contract test goes through: a `fetch` wrapper that judges each
 * response by the spec with the shared validator (lib/response-validator.ts), records the verdict, and
 * throws a readable `ContractViolation` when a rule is broken.
 *
 * Rules: no 5xx; the status is documented for the operation; the content type is documented for that
 * status; the body validates (strict: no undocumented properties; tolerant: extras allowed but collected).
 * A request the spec has no operation for must get 405 with `Allow` (a known path) or 404 (an unknown one),
 * with the spec's `Error` body. A response Prism flags (`sl-violations`) breaks the rule `prism`.
 */
import { createRedactor, type Redactor } from "../../client/redact.ts";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { createResponseValidator, type Mode, type Problem, type Verdict } from "../../lib/response-validator.ts";
import { listOperations, type Operation, type OperationId } from "../../lib/spec.ts";
import type { Transport, WireRequest, WireResponse } from "./transport.ts";

export interface CheckedExchange {
  operation: Operation | undefined;
  /** Path parameters of the matched path. */
  params: Record<string, string>;
  method: string;
  /** Path below the base path, with the query string. */
  path: string;
  requestBody: string;
  status: number;
  contentType: string | undefined;
  text: string;
  verdict: Verdict;
  problems: CheckProblem[];
}

export interface CheckProblem {
  rule: Problem["rule"] | "no-server-error" | "allow-header" | "prism" | "undocumented-request";
  message: string;
  schemaPath?: string;
}

export interface Failure {
  target: string;
  /** The operation whose answer broke the contract (`(no operation)` for a request the spec lacks). */
  operation: string;
  request: string;
  response: string;
  problems: CheckProblem[];
}

export interface CheckerStats {
  checks: number;
  failures: Failure[];
  /** Undocumented properties seen (tolerant mode), by operation: JSON pointers into bodies. */
  extras: Map<string, Set<string>>;
}

export interface CheckerOptions {
  /** How the target is named in messages: "in-process mock", a URL... */
  target: string;
  mode: Mode;
  /** The API's base URL on this target; request paths are matched below its path. */
  baseUrl: string;
  /** The key in use, masked wherever it could appear in a message. */
  apiKey: string;
}

export type ExchangeListener = (exchange: CheckedExchange) => void;

/** Thrown by the checked fetch when a response breaks the spec; its message is the whole report. */
export class ContractViolation extends Error {
  constructor(readonly failure: Failure) {
    super(formatFailure(failure));
    this.name = "ContractViolation";
  }
}

const EXCERPT = 600;
const validators = new Map<Mode, ReturnType<typeof createResponseValidator>>();
const validatorFor = (mode: Mode) => {
  let validate = validators.get(mode);
  if (!validate) {
    validate = createResponseValidator(mode);
    validators.set(mode, validate);
  }
  return validate;
};

const operations = listOperations();
/** Which operation a request is, from its method and its path below the base path. */
const matcher = createOperationMatcher(operations);

/** How a request that matches no operation is judged: the spec's `Error` body, as 404 or 405. */
const errorResponse = operations.find((op) => op.responses.has("404"))?.responses.get("404");
const noOperation: Operation = {
  id: "(no operation)" as OperationId,
  method: "get",
  path: "(none)",
  tags: [],
  parameters: [],
  requestBody: null,
  responses: new Map(errorResponse ? [["404", errorResponse]] : []),
  security: [],
};
const methodNotAllowed: Operation = {
  ...noOperation,
  responses: new Map(errorResponse ? [["405", errorResponse]] : []),
};

export interface Checker {
  stats: CheckerStats;
  /** Wraps a transport so that every response it returns has been judged. */
  wrap(transport: Transport): Transport;
  /** Called with every exchange after it was judged (drift observation, cleanup tracking). */
  listen(listener: ExchangeListener): void;
  /** The last request and its answer, as a failure report tells them (key redacted): for a failed assertion. */
  last(): Pick<Failure, "request" | "response"> | undefined;
}

export function createChecker(options: CheckerOptions): Checker {
  const validate = validatorFor(options.mode);
  const redactor = createRedactor(options.apiKey);
  const basePath = new URL(options.baseUrl).pathname.replace(/\/$/, "");
  const stats: CheckerStats = { checks: 0, failures: [], extras: new Map() };
  const listeners: ExchangeListener[] = [];
  let last: CheckedExchange | undefined;

  const judge = (request: WireRequest, response: WireResponse): CheckedExchange => {
    const url = new URL(request.url);
    const below = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const match = matcher.match(request.method, below);
    const { text, headers } = response;
    const contentType = headers["content-type"];
    const observed = { status: response.status, contentType, headers, text };
    const problems: CheckProblem[] = [];
    let verdict: Verdict;
    if (match.operation) {
      verdict = validate(match.operation, observed);
    } else if (match.allowed.length > 0) {
      verdict = validate(methodNotAllowed, request.method === "HEAD" ? { ...observed, text: "" } : observed);
      const allow = (headers.allow ?? "").split(",").map((m) => m.trim().toUpperCase());
      if (response.status === 405 && !match.allowed.every((m) => allow.includes(m))) {
        problems.push({
          rule: "allow-header",
          message: `405 must list the documented methods in Allow (${match.allowed.join(", ")}); got "${headers.allow ?? ""}"`,
        });
      }
    } else {
      verdict = validate(noOperation, observed);
    }
    if (response.status >= 500) {
      problems.push({ rule: "no-server-error", message: `the server answered ${response.status}` });
    }
    for (const p of verdict.problems) {
      if (!match.operation && p.rule === "status-documented") {
        const want = match.allowed.length > 0 ? "405 (the path is documented, the method is not)" : "404";
        problems.push({
          rule: "undocumented-request",
          message: `the spec has no ${request.method} ${below}: want ${want}`,
        });
      } else problems.push(p);
    }
    const violations = headers["sl-violations"];
    if (violations) problems.push({ rule: "prism", message: `Prism reports: ${violations}` });
    return {
      operation: match.operation,
      params: match.params,
      method: request.method,
      path: `${below}${url.search}`,
      requestBody: request.body ?? "",
      status: response.status,
      contentType,
      text,
      verdict,
      problems,
    };
  };

  return {
    stats,
    listen: (listener) => {
      listeners.push(listener);
    },
    last: () => {
      if (!last) return undefined;
      const { request, response } = describeFailure(options.target, last, redactor);
      return { request, response };
    },
    wrap: (transport) => async (request) => {
      const response = await transport(request);
      const exchange = judge(request, response);
      stats.checks++;
      last = exchange;
      for (const extra of exchange.verdict.extras) {
        const key = exchange.operation?.id ?? "(no operation)";
        let set = stats.extras.get(key);
        if (!set) {
          set = new Set();
          stats.extras.set(key, set);
        }
        set.add(extra.replace(/\/\d+(?=\/|$)/g, "/*"));
      }
      for (const listener of listeners) listener(exchange);
      if (exchange.problems.length > 0) {
        const failure = describeFailure(options.target, exchange, redactor);
        stats.failures.push(failure);
        throw new ContractViolation(failure);
      }
      return response;
    },
  };
}

function describeFailure(target: string, exchange: CheckedExchange, redactor: Redactor): Failure {
  const op = exchange.operation ? ` (${exchange.operation.id})` : "";
  const body = exchange.requestBody ? `  body: ${excerpt(exchange.requestBody)}` : "";
  const key = exchange.verdict.responseKey;
  const media = exchange.contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  const schema = key ? exchange.operation?.responses.get(key)?.schemas.get(media) : undefined;
  const against = schema && "$ref" in schema ? ` against ${schema.$ref}` : "";
  const judged = key ? `, judged as the documented "${key}"${against}` : "";
  return {
    target,
    operation: exchange.operation?.id ?? "(no operation)",
    request: redactor.redact(`${exchange.method} ${exchange.path}${op}${body}`),
    response: redactor.redact(
      `${exchange.status} ${exchange.contentType ?? "(no content type)"}${judged}  body: ${excerpt(exchange.text) || "(empty)"}`,
    ),
    problems: exchange.problems.map((p) => ({ ...p, message: redactor.redact(p.message) })),
  };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}… (${flat.length} chars)` : flat;
}

export function formatFailure(failure: Failure): string {
  const rules = failure.problems.map(
    (p) => `    - [${p.rule}] ${p.message}${p.schemaPath ? `  (schema ${p.schemaPath})` : ""}`,
  );
  return [
    `The response breaks the contract (target: ${failure.target})`,
    `  request:  ${failure.request}`,
    `  response: ${failure.response}`,
    "  broke:",
    ...rules,
  ].join("\n");
}
