/** The store's record types: all of them come from the specs, none is declared here by hand. */
import type { components as admin } from "../../generated/admin-types.ts";
import type { components } from "../../generated/types.ts";

type Schemas = components["schemas"];
export type Workspace = Schemas["Workspace"];
export type User = Schemas["User"];
export type TeamMember = Schemas["TeamMember"];
export type Contact = Schemas["Contact"];
export type ContactCreate = Schemas["ContactCreate"];
export type ContactUpdate = Schemas["ContactUpdate"];
export type Chat = Schemas["Chat"];
export type ChatCreate = Schemas["ChatCreate"];
export type ChatUpdate = Schemas["ChatUpdate"];
export type Message = Schemas["Message"];
export type MessageCreate = Schemas["MessageCreate"];
export type ErrorBody = Schemas["Error"];
export type ErrorCode = ErrorBody["code"];
export type ErrorDetail = Schemas["ErrorDetail"];

export type Channel = admin["schemas"]["Channel"];
export type ChannelType = Channel["type"];
export type Bot = admin["schemas"]["Bot"];
/** A chat as stored: the API's Chat plus the title set by PUT (null when never renamed). */
export type StoredChat = admin["schemas"]["StoredChat"];
export type StateSnapshot = admin["schemas"]["State"];
export type SeedOptions = admin["schemas"]["SeedOptions"];
export type Fixtures = admin["schemas"]["Fixtures"];
/** What the admin API's triggers take (changes the public API cannot make). */
export type TeamMemberCreate = admin["schemas"]["TeamMemberCreate"];
export type TeamMemberUpdate = admin["schemas"]["TeamMemberUpdate"];
