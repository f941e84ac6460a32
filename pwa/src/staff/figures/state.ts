/**
 * What the manager is looking at (date and scope), shared by the overview and the names behind
 * each figure, so opening a figure and coming back keeps the date they chose.
 */
import { signal } from "@preact/signals";
import type { components } from "../../api/client";
import { todayIso } from "../format";

export type Measures = components["schemas"]["Measures"];
export type MeasureName = Exclude<keyof Measures, "caseload"> | "caseload";

export interface FigureScope {
  asOf: string;
  team: string;
  adviser: string;
}

export const scope = signal<FigureScope>({ asOf: todayIso(), team: "", adviser: "" });

/** The order the overview shows the measures in: the ones inspectors ask about first. */
export const RATIO_MEASURES = [
  "pa_allocated",
  "plan_current",
  "first_plan_on_time",
  "plan_copy_received",
  "in_touch",
  "rights_informed",
  "documents_by_18",
  "entitlements_received",
  "pa_changes",
  "messages_unanswered",
  "accommodation_concerns",
] as const;
export type RatioMeasure = (typeof RATIO_MEASURES)[number];

/** Counted as a problem: a higher figure is worse. */
export const PROBLEMS: ReadonlySet<string> = new Set(["pa_changes", "messages_unanswered", "accommodation_concerns"]);

/** Only the portal records these (no history is imported), so before it they are not known. */
export const PORTAL_ONLY: ReadonlySet<string> = new Set(["rights_informed", "messages_unanswered", "accommodation_concerns"]);

export const isMeasure = (name: string): name is MeasureName =>
  name === "caseload" || (RATIO_MEASURES as readonly string[]).includes(name);

/** The query every report takes: the date, and a team or a PA when one is chosen. */
export function scopeQuery(s: FigureScope): { as_of: string; team?: string; adviser?: string } {
  return { as_of: s.asOf, ...(s.team ? { team: s.team } : {}), ...(s.adviser ? { adviser: s.adviser } : {}) };
}

/** "12.5 %" or null when nobody was counted. */
export const percent = (value: number | null | undefined): string | null =>
  value === null || value === undefined ? null : `${value.toFixed(1)} %`;
