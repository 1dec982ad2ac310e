/**
 * The fields of a contact, read from the spec's ContactCreate: what a contact is created and updated with,
 * and (with its guid and timestamps) all a Contact holds. The store creates, updates and blanks contacts by
 * this list, so a field the spec gains (in ContactCreate, ContactUpdate and Contact) is stored and returned
 * with no code here. The recorder (proxy/) does not read this list: it takes a Contact's properties, which of
 * them are personal (`x-personal`) and which name other objects (`x-references`) from the spec itself
 * (proxy/schema-marks.ts).
 */
import type { oas31 } from "openapi3-ts";
import { publicSpec } from "../../lib/spec.ts";
import type { Contact, ContactCreate } from "./types.ts";

export type ContactField = keyof ContactCreate & keyof Contact;

export const CONTACT_FIELDS = Object.keys(
  (publicSpec.components?.schemas?.ContactCreate as oas31.SchemaObject | undefined)?.properties ?? {},
) as readonly ContactField[];

/** A contact with every field unset (null), as the store makes one from an empty body. */
export function blankContact(guid: string, time: string): Contact {
  const contact = { guid } as Contact;
  for (const field of CONTACT_FIELDS) contact[field] = null;
  contact.created_at = time;
  contact.updated_at = time;
  return contact;
}
