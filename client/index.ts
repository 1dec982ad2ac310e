/** The typed ConverseIQ client: see README.md in this folder. */

export type { CallInit, CallResult, ConverseIQClient } from "./client-type.ts";
export { type CreateClientOptions, createClient, DEFAULT_BASE_URL } from "./create-client.ts";
export type { ApiError } from "./error-body.ts";
export { PageError } from "./page-error.ts";
export { type ListInit, type ListItem, type ListPath, paginate } from "./paginate.ts";
