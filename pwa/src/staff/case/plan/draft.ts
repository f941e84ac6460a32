/**
 * The plan editor's working copy of a draft, and how the API's field names (422 `errors[].field`)
 * become the ids of the inputs that show them.
 */
import type { components } from "../../../api/client";
import { type DateParts, isoOf, partsOf } from "../DateField";

type S = components["schemas"];
export type Version = S["VersionRead"];
export type Owner = S["ActionOwner"];
export type ActionStatus = S["ActionStatus"];
export type SectionCode = S["SectionIn"]["code"];

export interface SectionDraft {
  code: SectionCode;
  title: string;
  needs: string;
  goals: string;
  young_person_views: string;
}

export interface ActionDraft {
  /** Stable across edits so Preact keeps each action's inputs (actions have no id until saved). */
  key: string;
  section_code: SectionCode;
  description: string;
  need: string;
  owner: Owner | "";
  owner_name: string;
  due: DateParts;
  status: ActionStatus;
  dropped_reason: string;
  completed_on: string | null;
}

export interface Draft {
  sections: SectionDraft[];
  actions: ActionDraft[];
  reviewBy: DateParts;
}

export const OPEN: readonly ActionStatus[] = ["not_started", "in_progress"];

export function draftOf(version: Version): Draft {
  return {
    sections: version.sections.map((s) => ({
      code: s.code as SectionCode,
      title: s.title,
      needs: s.needs,
      goals: s.goals,
      young_person_views: s.young_person_views,
    })),
    actions: version.actions.map((a) => ({
      key: a.id,
      section_code: a.section_code as SectionCode,
      description: a.description,
      need: a.need ?? "",
      owner: a.owner ?? "",
      owner_name: a.owner_name ?? "",
      due: partsOf(a.due_on),
      status: a.status,
      dropped_reason: a.dropped_reason ?? "",
      completed_on: a.completed_on,
    })),
    reviewBy: partsOf(version.review_by),
  };
}

export const blankAction = (code: SectionCode): ActionDraft => ({
  key: crypto.randomUUID(),
  section_code: code,
  description: "",
  need: "",
  owner: "",
  owner_name: "",
  due: { day: "", month: "", year: "" },
  status: "not_started",
  dropped_reason: "",
  completed_on: null,
});

export const sectionField = (code: string, part: string) => `plan-${code}-${part}`;
export const actionField = (index: number, part: string) => `plan-action-${index}-${part}`;
export const REVIEW_BY = "plan-review_by";

/** Dates that are not real dates, found before anything is sent. */
export function dateErrors(draft: Draft, badDate: string): Map<string, string> {
  const errors = new Map<string, string>();
  draft.actions.forEach((a, i) => {
    if (isoOf(a.due) === "invalid") errors.set(actionField(i, "due_on"), badDate);
  });
  if (isoOf(draft.reviewBy) === "invalid") errors.set(REVIEW_BY, badDate);
  return errors;
}

/** The PATCH body: lists replace what the draft had, so every section and action is sent. */
export function updateOf(draft: Draft): S["DraftUpdate"] {
  const date = (parts: DateParts) => {
    const iso = isoOf(parts);
    return iso === "invalid" ? null : iso;
  };
  return {
    sections: draft.sections.map((s) => ({ code: s.code, needs: s.needs, goals: s.goals, young_person_views: s.young_person_views })),
    actions: draft.actions.map((a) => ({
      section_code: a.section_code,
      description: a.description,
      need: a.need.trim() === "" ? null : a.need,
      owner: a.owner === "" ? null : a.owner,
      owner_name: a.owner === "other" && a.owner_name.trim() !== "" ? a.owner_name : null,
      due_on: date(a.due),
      status: a.status,
      dropped_reason: a.status === "dropped" ? a.dropped_reason : null,
      completed_on: a.completed_on,
    })),
    review_by: date(draft.reviewBy),
  };
}

/**
 * The input id for each API error field. The submit check names an action as a whole
 * ("actions.2", once per missing part, owner before date); the saved version's `missing_codes`
 * for that action say which input each of those errors belongs on.
 */
export function fieldIds(fields: readonly string[], draft: Draft, saved: Version | null): (string | undefined)[] {
  const seen = new Map<number, number>();
  return fields.map((raw) => {
    const parts = raw.replace(/^body\./, "").split(".");
    const [head, second, third] = parts;
    if (head === "review_by") return REVIEW_BY;
    if (head === "sections" && second !== undefined) {
      const code = /^\d+$/.test(second) ? draft.sections[Number(second)]?.code : second;
      return code ? sectionField(code, third ?? "needs") : undefined;
    }
    if (head === "actions" && second !== undefined && /^\d+$/.test(second)) {
      const index = Number(second);
      if (third !== undefined) return actionField(index, third);
      const k = seen.get(index) ?? 0;
      seen.set(index, k + 1);
      const part = saved?.actions[index]?.missing_codes[k] ?? "description";
      return actionField(index, part);
    }
    return undefined;
  });
}

/** What the API would refuse on submit, for the task list's tags (the same rule as the 422). */
export function sectionIncomplete(draft: Draft, code: SectionCode): boolean {
  const section = draft.sections.find((s) => s.code === code);
  if (!section || section.needs.trim() === "") return true;
  return draft.actions.some(
    (a) =>
      a.section_code === code &&
      OPEN.includes(a.status) &&
      (a.owner === "" || (a.owner === "other" && a.owner_name.trim() === "") || isoOf(a.due) === null),
  );
}
