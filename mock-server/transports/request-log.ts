/**
 * The request log, on Fastify's logger (pino): one record per answered request with its method, path,
 * query, status, time and, for a 4xx or 5xx, the reason (the Error body's `code` and `message`). Headers
 * (and so keys and tokens) are never logged, nor bodies.
 *
 * `json` writes pino's JSON lines as they are; `pretty` (the default) writes each record's message, a human
 * line: `GET /public/v1/contact?limit=2 200 1.4ms`, with `400 0.8ms invalid_json: The body is not...` for a
 * refusal. No pretty-printing library is needed for that: the message is already the line.
 */
import type { FastifyServerOptions } from "fastify";
import type { EngineResponse } from "../engine/types.ts";

export type LogFormat = "pretty" | "json";

/** What a request's record holds besides its message. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  ms: number;
  code?: string;
  reason?: string;
}

/** The record of one answered request, and its human line. */
export function requestRecord(
  method: string,
  url: string,
  answer: EngineResponse,
  ms: number,
): { record: RequestRecord; line: string } {
  const mark = url.indexOf("?");
  const path = mark < 0 ? url : url.slice(0, mark);
  const query = mark < 0 ? "" : url.slice(mark + 1);
  const record: RequestRecord = { method, path, query, status: answer.status, ms: Math.round(ms * 10) / 10 };
  let line = `${method} ${url} ${answer.status} ${ms.toFixed(1)}ms`;
  if (answer.status >= 400) {
    const reason = reasonOf(answer.body);
    if (reason) {
      record.code = reason.code;
      record.reason = reason.message;
      line += ` ${reason.code}: ${reason.message}`;
    }
  }
  return { record, line };
}

/** The Error body's code and message, when the answer is one. */
function reasonOf(body: EngineResponse["body"]): { code: string; message: string } | undefined {
  if (typeof body !== "string" || !body.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    if (typeof parsed.code === "string" && typeof parsed.message === "string") {
      return { code: parsed.code, message: parsed.message };
    }
  } catch {
    // Not the Error shape: no reason to give.
  }
  return undefined;
}

/** The pretty stream: each request record's message as its own line; other records (errors) with their error. */
function prettyStream(write: (line: string) => void) {
  return {
    write(json: string) {
      const entry = JSON.parse(json) as { msg?: string; status?: number; err?: { message?: string } };
      if (entry.status !== undefined) write(`${entry.msg}\n`);
      else if (entry.err) write(`${entry.msg ?? "error"}: ${entry.err.message ?? ""}\n`);
    },
  };
}

/** Fastify's `logger` option for the mock's server: off, or pino at `info` writing `format` to `write`. */
export function loggerOption(
  on: boolean,
  format: LogFormat,
  write: (line: string) => void = (line) => process.stdout.write(line),
): FastifyServerOptions["logger"] {
  if (!on) return false;
  return {
    level: "info",
    stream: format === "json" ? { write } : prettyStream(write),
  };
}
