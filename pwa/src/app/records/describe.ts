/**
 * The access log's `action` is a code such as "plan.read" (the API does not enumerate them yet:
 * UX.md §4 gap 1). The young person sees what it means in their words: looked at, changed or
 * downloaded, and which part of their record; an unknown code is "your record".
 */
import type { MessageKey } from "../../i18n";

type Area = "plan" | "documents" | "messages" | "home" | "concerns" | "money" | "notes" | "checkIns" | "details" | "rights" | "account" | "log" | "copy" | "record";

const AREAS: Readonly<Record<string, Area>> = {
  plan: "plan",
  plan_version: "plan",
  document: "documents",
  documents: "documents",
  document_item: "documents",
  message: "messages",
  messages: "messages",
  accommodation: "home",
  accommodation_concern: "concerns",
  accommodation_concerns: "concerns",
  entitlement: "money",
  entitlements: "money",
  contact: "notes",
  contacts: "notes",
  observation: "notes",
  observations: "notes",
  follow_up: "notes",
  follow_ups: "notes",
  check_in_rhythm: "checkIns",
  young_person: "details",
  local_offer_activity: "rights",
  auth: "account",
  invite: "account",
  access_log: "log",
  subject_access: "copy",
};

const LOOKED = new Set(["read", "list", "view"]);

export function describeAction(action: string): { verb: MessageKey; area: MessageKey } {
  const [subject = "", doing = ""] = action.split(".");
  const area = AREAS[subject] ?? "record";
  const verb: MessageKey = doing === "export" ? "records.verb.downloaded" : LOOKED.has(doing) ? "records.verb.looked" : "records.verb.changed";
  return { verb, area: `records.area.${area}` };
}

export function roleKey(role: string): MessageKey {
  return role === "personal_adviser" ? "records.role.personal_adviser" : role === "manager" ? "records.role.manager" : role === "admin" ? "records.role.admin" : "records.role.staff";
}
