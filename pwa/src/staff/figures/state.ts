/**
 * What the manager is looking at (date and scope), shared by the overview and the names behind
 * each figure, so opening a figure and coming back keeps the date they chose. The address holds
 * it too (?as_of=…&team=…), so a reload, back and forward, or a link sent on, show the same.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { components } from "../../api/client";
import { search, setSearch } from "../../ui/router";
import { todayIso } from "../format";

export type Measures = components["schemas"]["Measures"];
export type MeasureName = Exclude<keyof Measures, "caseload"> | "caseload";

export interface FigureScope {
  asOf: string;
  team: string;
  adviser: string;
}

/** Today's figures for the whole council: what a screen opened from the menu shows. */
const todays = (): FigureScope => ({ asOf: todayIso(), team: "", adviser: "" });

/**
 * The scope last chosen in this tab, for a screen opened from the menu, whose address has none.
 * Null until the manager chooses one, so "today" stays today: an overview bookmarked without a
 * choice shows tomorrow's figures tomorrow, not the day the bookmark was made.
 */
export const scope = signal<FigureScope | null>(null);

/** The scope an address's query names, or null when it names no date. */
export function scopeFromSearch(query: string): FigureScope | null {
  const params = new URLSearchParams(query);
  const asOf = params.get("as_of") ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return null;
  return { asOf, team: params.get("team") ?? "", adviser: params.get("adviser") ?? "" };
}

/** "?as_of=…" (with the team or PA when one is chosen). */
export function scopeSearch(s: FigureScope): string {
  return `?${new URLSearchParams(scopeQuery(s)).toString()}`;
}

/** A figures address that carries the scope, if one was chosen, for links between the overview and the names. */
export function figuresHref(path: string): string {
  const chosen = scopeFromSearch(search.value) ?? scope.value;
  return chosen ? path + scopeSearch(chosen) : path;
}

const same = (a: FigureScope | null, b: FigureScope): boolean =>
  a !== null && a.asOf === b.asOf && a.team === b.team && a.adviser === b.adviser;

/**
 * The scope a figures screen shows: its address's, else the one last chosen in this tab (then
 * written into the address in place, so a reload keeps it), else today's for the council.
 * Choosing another is `chooseScope`.
 */
export function useFigureScope(): FigureScope {
  const fromAddress = scopeFromSearch(search.value);
  const chosen = scope.value;
  const shown = fromAddress ?? chosen ?? todays();
  useEffect(() => {
    if (fromAddress) {
      if (!same(scope.value, fromAddress)) scope.value = fromAddress;
    } else if (chosen) {
      setSearch(scopeSearch(chosen), true);
    }
  }, [shown.asOf, shown.team, shown.adviser, fromAddress === null, chosen === null]);
  return shown;
}

/** A new date or scope chosen: a new history entry, so back returns to the one before. */
export function chooseScope(s: FigureScope): void {
  scope.value = s;
  setSearch(scopeSearch(s));
}

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
