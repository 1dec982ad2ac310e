/**
 * A small reference model of the API's state and rules, written from the reference (and, where the
 * reference is silent, the mock's documented choices): contacts in creation order with unique emails
 * (case-insensitive), chats in creation order whose title is the custom one or else the contact's name,
 * messages in the order sent (listed newest first), pages as `ceil(total / limit)` slices.
 */
import type { Page } from "../../generated/rules.ts";

export const CONTACT_FIELDS = ["name", "email", "city"] as const;
export type ContactFields = { [K in (typeof CONTACT_FIELDS)[number]]: string | null };

export interface ModelContact extends ContactFields {
  guid: string;
}

export interface ModelChat {
  guid: string;
  channel: string;
  contact: string | null;
  customTitle: string | null;
  /** Message texts in the order they were sent. */
  messages: { guid: string; text: string; sender: "agent" | "bot" | "contact" }[];
}

/** A page as the spec declares it (`{ data, page, limit, pages, total }`). */
export type { Page };

export class Model {
  contacts: ModelContact[] = [];
  chats: ModelChat[] = [];
  /** Ids that existed and were deleted: asking for them is 404. */
  gone: string[] = [];

  emailOwner(email: string | null): ModelContact | undefined {
    if (email === null) return undefined;
    return this.contacts.find((c) => c.email?.toLowerCase() === email.toLowerCase());
  }

  contact(guid: string | null): ModelContact | undefined {
    return this.contacts.find((c) => c.guid === guid);
  }

  chat(guid: string): ModelChat | undefined {
    return this.chats.find((c) => c.guid === guid);
  }

  titleOf(chat: ModelChat): string | null {
    return chat.customTitle ?? this.contact(chat.contact)?.name ?? null;
  }

  deleteContact(guid: string): void {
    this.contacts = this.contacts.filter((c) => c.guid !== guid);
    this.gone.push(guid);
    // The contact's chats stay, without a contact (the mock's choice; the reference is silent).
    for (const chat of this.chats) if (chat.contact === guid) chat.contact = null;
  }

  deleteChat(guid: string): void {
    this.chats = this.chats.filter((c) => c.guid !== guid);
    this.gone.push(guid);
  }
}

/** The page of `items` the API should answer (`pages = ceil(total / limit)`, empty past the end). */
export function pageOf<T>(items: readonly T[], page: number, limit: number): Page<T> {
  return {
    data: items.slice((page - 1) * limit, page * limit),
    page,
    limit,
    pages: Math.ceil(items.length / limit),
    total: items.length,
  };
}
