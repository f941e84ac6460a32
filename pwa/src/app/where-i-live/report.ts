/**
 * The problem being reported, one question per page (UX.md §1). Kept in memory only: words about
 * where someone lives are not left on a shared phone if the app closes half way.
 */
import { signal } from "@preact/signals";
import { api, call, type components } from "../../api/client";

export type Category = components["schemas"]["ConcernCategory"];
export type Urgency = components["schemas"]["ConcernUrgency"];
export type Raised = components["schemas"]["ConcernRaised"];

export const CATEGORIES: readonly Category[] = ["safety", "repairs", "cleanliness", "privacy", "support_staff", "neighbours", "cost", "other"];
export const URGENCIES: readonly Urgency[] = ["urgent", "soon", "routine"];

export interface Draft {
  category: Category | null;
  text: string;
  urgency: Urgency | null;
  /** Leave the young person's name out of what the provider sees (the API's default). */
  anonymous: boolean;
}

export const STEPS = ["what", "details", "urgency", "name", "check"] as const;
export type Step = (typeof STEPS)[number];
export const stepPath = (step: Step | "sent"): string => `/where-i-live/report/${step}`;

const empty = (): Draft => ({ category: null, text: "", urgency: null, anonymous: true });
export const draft = signal<Draft>(empty());
/** The API's answer to the last report (who to call now, for an urgent one). */
export const raised = signal<Raised | null>(null);

export const setDraft = (change: Partial<Draft>): void => {
  draft.value = { ...draft.value, ...change };
};

/** The first question not answered yet: a later page opened directly goes back there. */
export function firstMissing(d: Draft): Step | null {
  if (!d.category) return "what";
  if (!d.text.trim()) return "details";
  if (!d.urgency) return "urgency";
  return null;
}

export async function sendReport(): Promise<void> {
  const d = draft.value;
  if (!d.category || !d.urgency) throw new Error("report not complete");
  const { data } = await call(
    api.POST("/api/v1/young-people/{yp}/accommodation-concerns", {
      params: { path: { yp: "me" } },
      body: { category: d.category, text: d.text.trim(), urgency: d.urgency, anonymous_to_provider: d.anonymous },
    }),
  );
  raised.value = data;
  draft.value = empty();
}
