/**
 * The spec's `webhooks` as data: each event the platform sends, its operation and the schema of its body;
 * and one way to check a body received against that schema. The mock's tests and `npm run webhooks:listen`
 * both validate through here.
 */
import type { ValidateFunction } from "ajv";
import type { oas31 } from "openapi3-ts";
import type { webhooks } from "../generated/types.ts";
import { closeObjects, createAjv, refInto } from "./ajv.ts";
import { publicSpec, resolve } from "./spec.ts";

/** The name of an event (`contact.created`), as a key of the spec's `webhooks`. */
export type WebhookEventName = keyof webhooks;

/** The body the platform POSTs for an event (all of them when no event is named). */
export type WebhookPayload<E extends WebhookEventName = WebhookEventName> = E extends WebhookEventName
  ? NonNullable<webhooks[E]["post"]["requestBody"]>["content"]["application/json"]
  : never;

export interface WebhookSpec {
  event: WebhookEventName;
  operationId: string;
  summary: string;
  /** The body's schema: a `$ref` to `#/components/schemas/Webhook...`. */
  schema: oas31.SchemaObject | oas31.ReferenceObject;
  example: unknown;
}

/** Every webhook of the spec, in the spec's order. */
export function listWebhooks(doc: oas31.OpenAPIObject = publicSpec): WebhookSpec[] {
  return Object.entries(doc.webhooks ?? {}).map(([event, raw]) => {
    const post = resolve<oas31.PathItemObject>(doc, raw).post;
    const body = post?.requestBody && resolve<oas31.RequestBodyObject>(doc, post.requestBody);
    const media = body?.content["application/json"];
    if (!post?.operationId || !media?.schema) throw new Error(`webhook ${event} has no operationId or JSON body`);
    return {
      event: event as WebhookEventName,
      operationId: post.operationId,
      summary: post.summary ?? "",
      schema: media.schema,
      example: media.example,
    };
  });
}

export interface WebhookVerdict {
  /** The body's `event`, when it names one of the spec's events. */
  event: WebhookEventName | undefined;
  /** What is wrong, one line each (`/data/contact/email must match format "email"`); empty when valid. */
  problems: string[];
}

/**
 * A checker of received webhook bodies. `strict` (for the mock): no property the spec does not list;
 * `tolerant` (for the live platform): extra properties are allowed, so the platform may grow.
 */
export function createWebhookValidator(mode: "strict" | "tolerant" = "strict", doc = publicSpec) {
  const id = "openapi.json";
  const ajv = createAjv([{ id, doc: mode === "strict" ? closeObjects(doc) : doc }]);
  const byEvent = new Map<string, ValidateFunction>();
  const hooks = listWebhooks(doc);
  for (const hook of hooks) byEvent.set(hook.event, ajv.compile(refInto(id, hook.schema)));

  return function validate(body: unknown): WebhookVerdict {
    const name = typeof body === "object" && body !== null ? (body as { event?: unknown }).event : undefined;
    const validator = typeof name === "string" ? byEvent.get(name) : undefined;
    if (!validator) {
      const known = hooks.map((h) => h.event).join(", ");
      return { event: undefined, problems: [`/event ${JSON.stringify(name)} is not an event of the spec (${known})`] };
    }
    const problems = validator(body)
      ? []
      : (validator.errors ?? []).map((e) => {
          const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
          return `${e.instancePath || "(body)"} ${e.message ?? e.keyword}${extra}`;
        });
    return { event: name as WebhookEventName, problems };
  };
}
