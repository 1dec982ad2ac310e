/**
 * Which events an endpoint wants, and the `URL#EVENTS` form `--webhook` takes. A pattern is an event's
 * name (`contact.created`), a prefix ending in `.*` (`chat.*`: every event whose name starts with `chat.`,
 * the messages' included), or `*` (every event). A pattern that matches no event of the spec is refused,
 * so a typo does not subscribe to nothing.
 */
import { listWebhooks, type WebhookEventName } from "../../lib/webhooks.ts";
import { InvalidInputError } from "../invalid-input.ts";
import type { ErrorDetail } from "../store/types.ts";
import type { WebhookEndpoint } from "./webhook-options.ts";

/** Every event of the spec, in its order. */
export const EVENT_NAMES: readonly WebhookEventName[] = listWebhooks().map((hook) => hook.event);

export function matches(pattern: string, event: string): boolean {
  if (pattern === "*" || pattern === event) return true;
  return pattern.endsWith(".*") && event.startsWith(pattern.slice(0, -1));
}

/** Throws an InvalidInputError (400 `invalid_request` over HTTP) naming each pattern that matches no event. */
export function checkPatterns(patterns: readonly string[]): void {
  const problems: ErrorDetail[] = [];
  patterns.forEach((pattern, i) => {
    if (!EVENT_NAMES.some((event) => matches(pattern, event))) {
      problems.push({ in: "body", field: `/events/${i}`, message: `matches no event: ${pattern}` });
    }
  });
  if (problems.length > 0) {
    const bad = problems.map((p) => p.message.replace("matches no event: ", "")).join(", ");
    throw new InvalidInputError(
      `No event matches ${bad}. The events are ${EVENT_NAMES.join(", ")}; a pattern may also end in .* (chat.*) or be *.`,
      problems,
    );
  }
}

/**
 * Reads `URL` or `URL#EVENTS` (events separated by commas): a URL's fragment is never sent in a request, so
 * it can carry the filter. Throws an InvalidInputError saying what is wrong.
 */
export function parseEndpoint(text: string): WebhookEndpoint {
  const hash = text.indexOf("#");
  const url = (hash === -1 ? text : text.slice(0, hash)).trim();
  const events =
    hash === -1
      ? ["*"]
      : text
          .slice(hash + 1)
          .split(",")
          .map((e) => e.trim())
          .filter((e) => e !== "");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`"${url}" is not a URL: write http://host:port/path, optionally #event,event`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidInputError(`"${url}" is not an http or https URL: write http://host:port/path`);
  }
  if (events.length === 0) throw new InvalidInputError(`no events after # in "${text}": list them, or leave out the #`);
  checkPatterns(events);
  return { url, events };
}
