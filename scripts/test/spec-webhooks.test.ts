/**
 * The spec's `webhooks` against the vendor's webhook documentation (summarised in
 * `shared/converseiq-webhooks.md`): the same 17 events, each a POST named, tagged and described, whose body
 * is the envelope `{ event, id, ts, data }` with the object the documentation names, or its id alone.
 * The page lives beside the repository (vendor-docs.ts); without it the tests that read it are skipped,
 * loudly, and spec-operations.test.ts still holds the 17 events and what each carries as a table.
 */
import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import { publicSpec, resolve } from "../../lib/spec.ts";
import { createWebhookValidator, listWebhooks } from "../../lib/webhooks.ts";
import { readVendorDoc, titled } from "../vendor-docs.ts";

const page = readVendorDoc("converseiq-webhooks.md");
const doc = page.found ? page.text : "";

/** The rows of the documentation's events table: each event and the object its `data` carries (or "id"). */
function documentedEvents(): { event: string; carries: string }[] {
  const table = doc.slice(doc.indexOf("## Events"), doc.indexOf("## What this tells us"));
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => {
      const [names = "", carries = ""] = line.split("|").slice(1, 3);
      const object = /^\s*(User|Chat|Message|Contact)\s*$/.exec(carries)?.[1] ?? "id";
      return [...names.matchAll(/`([a-z.]+)`/g)].map((m) => ({ event: m[1] ?? "", carries: object }));
    });
}

const documented = documentedEvents();
const hooks = listWebhooks();
const strict = createWebhookValidator("strict");
const schema = (node: oas31.SchemaObject | oas31.ReferenceObject) => resolve<oas31.SchemaObject>(publicSpec, node);

describe.skipIf(!page.found)(titled("the spec's webhooks and the vendor's documentation", page), () => {
  it("list the same 17 events", () => {
    expect(documented).toHaveLength(17);
    expect(hooks.map((h) => h.event).sort()).toEqual(documented.map((d) => d.event).sort());
  });

  it.each(documented.map((d) => [d.event, d.carries] as const))(
    "%s has a named body: the envelope, with data carrying %s",
    (event, carries) => {
      const hook = hooks.find((h) => h.event === event);
      if (!hook) throw new Error(`no webhook ${event}`);
      expect((hook.schema as oas31.ReferenceObject).$ref).toMatch(/^#\/components\/schemas\/Webhook[A-Za-z]+$/);
      const body = schema(hook.schema);
      expect(body.required?.slice().sort()).toEqual(["data", "event", "id", "ts"]);
      expect(schema(body.properties?.event ?? {}).enum).toEqual([event]);
      expect(schema(body.properties?.id ?? {})).toMatchObject({ type: "string", format: "uuid" });
      expect(schema(body.properties?.ts ?? {})).toMatchObject({ type: "integer" });
      const data = body.properties?.data as oas31.ReferenceObject;
      expect(data.$ref).toMatch(/^#\/components\/schemas\/Webhook[A-Za-z]+Data$/);
      const properties = schema(data).properties ?? {};
      if (carries === "id") {
        expect(Object.keys(properties).sort()).toEqual(["guid", "workspace"]);
      } else {
        const key = carries.toLowerCase();
        expect(Object.keys(properties).sort()).toEqual(["guid", key, "workspace"].sort());
        expect((properties[key] as oas31.ReferenceObject).$ref).toBe(`#/components/schemas/${carries}`);
        // "under the object's name": the vendor's example is malformed, so the key is inferred.
        expect((properties[key] as Record<string, unknown>)["x-inferred"]).toBe(true);
      }
    },
  );
});

describe("the spec's webhooks", () => {
  it.each(hooks.map((h) => [h.event, h] as const))(
    "%s is a POST with an operationId ending in Webhook, the Webhooks tag, a summary and a description",
    (event) => {
      const post = resolve<oas31.PathItemObject>(publicSpec, publicSpec.webhooks?.[event] ?? {}).post;
      expect(post?.operationId).toMatch(/^[a-z][A-Za-z]+Webhook$/);
      expect(post?.tags).toEqual(["Webhooks"]);
      expect(post?.summary).toMatch(new RegExp(`^${event.replace(/\./g, "\\.")}: `));
      expect(post?.description?.length).toBeGreaterThan(20);
      // Nothing is documented about authenticating webhooks: no key, no signature.
      expect(post?.security).toEqual([]);
    },
  );

  it.each(hooks.map((h) => [h.event, h] as const))("%s has an example the strict validator accepts", (_, hook) => {
    expect(strict(hook.example)).toEqual({ event: hook.event, problems: [] });
  });

  it("refuses a body whose event the spec does not have, or whose object breaks its schema", () => {
    const validate = strict;
    expect(validate({ event: "contact.renamed" }).problems[0]).toMatch(/not an event of the spec/);
    const example = hooks.find((h) => h.event === "contact.created")?.example as { data: { contact: object } };
    const bad = { ...example, data: { ...example.data, contact: { ...example.data.contact, email: "nope" } } };
    expect(validate(bad).problems).toEqual(['/data/contact/email must match format "email"']);
    expect(validate({ ...example, signature: "x" }).problems).toEqual([
      "(body) must NOT have additional properties (signature)",
    ]);
    expect(createWebhookValidator("tolerant")({ ...example, signature: "x" }).problems).toEqual([]);
  });
});
