/** Contacts: create, read, page, search by email, update and delete, with the email unique per workspace. */

import type { ContactField as Field } from "./contact-fields.ts";
import type { StoreContext } from "./context.ts";
import { type Envelope, type PageRequest, paginate } from "./paginate.ts";
import { notFound, StoreError } from "./store-error.ts";
import type { Contact, ContactCreate, ContactUpdate } from "./types.ts";

export function createContact(ctx: StoreContext, fields: readonly Field[], input: ContactCreate): Contact {
  const { state } = ctx;
  claimEmail(ctx, input.email ?? null, null);
  const now = ctx.now();
  const contact = { guid: ctx.newId() } as Contact;
  for (const field of fields) contact[field] = input[field] ?? null;
  contact.created_at = now;
  contact.updated_at = now;
  state.contacts.add(contact);
  if (contact.email !== null) state.emails.set(contact.email.toLowerCase(), contact.guid);
  return contact;
}

export function getContact(ctx: StoreContext, id: string): Contact {
  const contact = ctx.state.contacts.get(id);
  if (!contact) throw notFound("contact", id);
  return contact;
}

export function listContacts(ctx: StoreContext, request: PageRequest): Envelope<Contact> {
  const { contacts } = ctx.state;
  return paginate(contacts.size, request, (offset, limit) => contacts.slice(offset, limit));
}

export function searchContacts(ctx: StoreContext, email: string, request: PageRequest): Envelope<Contact> {
  const id = ctx.state.emails.get(email.toLowerCase());
  const found = id === undefined ? [] : [getContact(ctx, id)];
  return paginate(found.length, request, (offset, limit) => found.slice(offset, offset + limit));
}

export function updateContact(ctx: StoreContext, fields: readonly Field[], id: string, input: ContactUpdate): Contact {
  const { state } = ctx;
  const current = getContact(ctx, id);
  if (input.email !== undefined) claimEmail(ctx, input.email, id);
  const next: Contact = { ...current };
  for (const field of fields) {
    const value = input[field];
    if (value !== undefined) next[field] = value;
  }
  next.updated_at = ctx.now();
  // Every check has passed: only now does anything change.
  if (current.email !== null) state.emails.delete(current.email.toLowerCase());
  if (next.email !== null) state.emails.set(next.email.toLowerCase(), id);
  state.contacts.replace(next);
  if (next.name !== current.name) retitleChats(ctx, id, next.name);
  return next;
}

export function deleteContact(ctx: StoreContext, id: string): void {
  const { state } = ctx;
  const contact = getContact(ctx, id);
  state.contacts.remove(id);
  if (contact.email !== null) state.emails.delete(contact.email.toLowerCase());
  // The contact's chats stay, with no contact: their default title goes with it.
  for (const chatId of state.chatsByContact.get(id) ?? []) {
    const chat = state.chats.get(chatId);
    if (chat) state.chats.replace({ ...chat, contact: null, title: chat.custom_title });
  }
  state.chatsByContact.delete(id);
}

/** Refuses an email that another contact (any but `self`) already has, compared case-insensitively. */
function claimEmail(ctx: StoreContext, email: string | null, self: string | null): void {
  if (email === null) return;
  const owner = ctx.state.emails.get(email.toLowerCase());
  if (owner !== undefined && owner !== self) {
    throw new StoreError("email_taken", `Another contact already has the email ${email}.`, [
      { in: "body", field: "/email", message: "is already used by another contact of the workspace" },
    ]);
  }
}

/** A chat that was never renamed is titled with its contact's name, so it follows a rename. */
function retitleChats(ctx: StoreContext, contactId: string, name: string | null): void {
  const { state } = ctx;
  for (const chatId of state.chatsByContact.get(contactId) ?? []) {
    const chat = state.chats.get(chatId);
    if (chat && chat.custom_title === null) state.chats.replace({ ...chat, title: name });
  }
}
