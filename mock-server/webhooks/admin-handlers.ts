/** The admin API's webhook routes (`/__admin/webhooks...`): each one call on the Webhooks service. */
import type { Handler } from "../admin/types.ts";
import { HttpError } from "../http-error.ts";

type WebhookOperationId =
  | "listWebhooks"
  | "addWebhook"
  | "removeWebhooks"
  | "removeWebhook"
  | "listWebhookDeliveries"
  | "clearWebhookDeliveries";

export const webhookHandlers: { [Id in WebhookOperationId]: Handler<Id> } = {
  listWebhooks: (ctx) => ({ data: ctx.webhooks.subscriptions.list() }),
  addWebhook: (ctx, body) => {
    if (!body) throw new Error("the admin spec requires a body");
    return ctx.webhooks.subscriptions.add(body.url, body.events);
  },
  removeWebhooks: (ctx, _, { query }) => {
    ctx.webhooks.subscriptions.removeAll(query.url);
  },
  removeWebhook: (ctx, _, { path }) => {
    if (!ctx.webhooks.subscriptions.remove(path.webhookId)) {
      throw new HttpError("not_found", `No webhook subscription with id ${path.webhookId}.`);
    }
  },
  listWebhookDeliveries: (ctx) => ctx.webhooks.deliveries(),
  clearWebhookDeliveries: (ctx) => {
    ctx.webhooks.log.clear();
  },
};
