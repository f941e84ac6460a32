/**
 * My day from today's endpoints: each answer becomes items of one kind, and the kinds come in
 * order of urgency. A list that fails to load stays a visible gap, never a silent "nothing to do".
 */
import { api, call, type components, type Fetched } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { days, st, stKey, type StaffKey } from "../../i18n/staff.en";
import { ago, daysUntil, formatDate } from "../format";

type S = components["schemas"];

export type Kind = "messages" | "concerns" | "reviews" | "plans" | "followUps" | "documents" | "failed";

/** Most urgent first: a young person waiting for a reply before paperwork. */
export const KINDS: readonly Kind[] = ["messages", "concerns", "reviews", "plans", "followUps", "documents", "failed"];

/** Which part of the case page each kind opens. */
const SECTION: Record<Kind, string> = {
  messages: "messages",
  concerns: "messages",
  reviews: "plan",
  plans: "plan",
  followUps: "documents",
  documents: "documents",
  failed: "messages",
};

export interface Item {
  key: string;
  youngPersonId: string | null;
  name: string;
  detail: string;
  /** A short tag: "Urgent", "Overdue". */
  tag: { text: string; colour: "red" | "orange" | "grey" } | null;
  href: string | null;
}

export type Group = { kind: Kind; items: Item[] } | { kind: Kind; error: ApiError };

export interface MyDayData {
  groups: Group[];
}

const link = (kind: Kind, id: string | null): string | null => (id ? `/staff/young-people/${id}#${SECTION[kind]}` : null);

async function names(): Promise<Map<string, string>> {
  // The caseload list (not audited per person) names the ids the duty queue gives bare.
  const page = (await call(api.GET("/api/v1/young-people", { params: { query: { limit: 200 } } }))).data;
  return new Map(page.items.map((p) => [p.id, p.full_name]));
}

/** Conversations waiting for a reply, who has waited longest first (the API's order). */
function messages(page: S["Page_Conversation_"]): Item[] {
  return page.items
    .filter((c) => c.waiting_since !== null)
    .map((c) => ({
      key: `m-${c.young_person_id}`,
      youngPersonId: c.young_person_id,
      name: c.young_person_name,
      detail: st(c.unread > 0 ? "myDay.messages.waiting" : "myDay.messages.waitingRead", {
        when: ago(c.waiting_since ?? c.last_message.at),
        count: c.unread,
      }),
      tag:
        c.last_message.mood === "need_help_now"
          ? { text: st("myDay.messages.helpNow"), colour: "red" }
          : c.duty_cover
            ? { text: st("myDay.messages.cover"), colour: "grey" }
            : null,
      href: link("messages", c.young_person_id),
    }));
}

const URGENCY_ORDER = { urgent: 0, soon: 1, routine: 2 } as const;

function concerns(rows: S["ConcernRead"][]): Item[] {
  return [...rows]
    .filter((c) => c.status !== "closed")
    .sort((a, b) => URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] || a.raised_at.localeCompare(b.raised_at))
    .map((c) => ({
      key: `c-${c.id}`,
      youngPersonId: c.young_person_id,
      name: c.young_person_name,
      detail: st("myDay.concerns.item", {
        category: st(stKey("category", c.category)),
        place: c.scheme_name ?? st("myDay.concerns.noPlace"),
        when: ago(c.raised_at),
      }),
      tag: {
        text: st(stKey("urgency", c.urgency)),
        colour: c.urgency === "urgent" ? "red" : c.urgency === "soon" ? "orange" : "grey",
      },
      href: link("concerns", c.young_person_id),
    }));
}

function reviews(rows: S["ReviewRequestRead"][], known: Map<string, string>): Item[] {
  return rows
    .filter((r) => !r.met)
    .sort((a, b) => a.due_on.localeCompare(b.due_on))
    .map((r) => ({
      key: `r-${r.id}`,
      youngPersonId: r.young_person_id,
      name: known.get(r.young_person_id) ?? st("myDay.someone"),
      detail: st("myDay.reviews.item", {
        who: r.requested_by_role.replace("_", " "),
        requested: formatDate(r.requested_on),
        reason: r.reason,
        due: formatDate(r.due_on),
      }),
      tag: daysUntil(r.due_on) < 0 ? { text: st("caseload.overdue"), colour: "red" } : null,
      href: link("reviews", r.young_person_id),
    }));
}

/** Plans overdue, or due within four weeks (a review, or the first plan). */
function plans(rows: S["CaseloadPlanRow"][]): Item[] {
  const soon = 28;
  const due = rows.flatMap((row) => {
    const date = row.latest_agreed_on === null ? row.first_plan_due_on : row.next_review_due_on;
    if (row.overdue_days <= 0 && (date === null || daysUntil(date) > soon)) return [];
    return [{ row, date, order: row.overdue_days > 0 ? -row.overdue_days : daysUntil(date ?? "9999-12-31") }];
  });
  return due
    .sort((a, b) => a.order - b.order)
    .map(({ row, date }) => ({
      key: `p-${row.young_person_id}`,
      youngPersonId: row.young_person_id,
      name: row.full_name,
      detail:
        row.overdue_days > 0
          ? st("myDay.plans.overdue", { days: days(row.overdue_days) })
          : row.latest_agreed_on === null
            ? st("myDay.plans.firstDue", { date: formatDate(date ?? "") })
            : st("myDay.plans.dueOn", { date: formatDate(date ?? "") }),
      tag: row.overdue_days > 0 ? { text: st("caseload.overdue"), colour: "red" } : null,
      href: link("plans", row.young_person_id),
    }));
}

function followUps(rows: S["FollowUpRead"][]): Item[] {
  return [...rows]
    .filter((f) => f.resolved_at === null)
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((f) => ({
      key: `f-${f.id}`,
      youngPersonId: f.young_person_id,
      name: f.young_person_name,
      detail: st("myDay.followUps.item", { subject: f.subject, when: ago(f.created_at) }),
      tag: null,
      href: link("followUps", f.young_person_id),
    }));
}

function documents(rows: S["OutstandingRow"][]): Item[] {
  return [...rows]
    .sort((a, b) => b.overdue.length - a.overdue.length || a.days_to_18 - b.days_to_18)
    .map((d) => ({
      key: `d-${d.young_person_id}`,
      youngPersonId: d.young_person_id,
      name: d.full_name,
      detail:
        st("myDay.documents.item", { date: formatDate(d.eighteenth_birthday), names: d.outstanding.join(", ") }) +
        (d.overdue.length > 0 ? `. ${st("myDay.documents.overdue", { names: d.overdue.join(", ") })}` : ""),
      tag: d.overdue.length > 0 ? { text: st("caseload.overdue"), colour: "red" } : null,
      href: link("documents", d.young_person_id),
    }));
}

function failed(rows: S["FailedNotification"][], known: Map<string, string>): Item[] {
  return [...rows]
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((n) => ({
      key: `n-${n.id}`,
      youngPersonId: n.young_person_id,
      name: n.young_person_id ? (known.get(n.young_person_id) ?? st("myDay.someone")) : st("myDay.failed.noPerson"),
      detail: st("myDay.failed.item", {
        template: n.template.replaceAll("_", " "),
        channel: n.channel,
        attempts: n.attempts,
        error: n.last_error ?? "",
      }).trim(),
      tag: null,
      href: link("failed", n.young_person_id),
    }));
}

async function settle<T>(kind: Kind, load: Promise<Fetched<T>>, make: (data: T) => Item[]): Promise<Group> {
  try {
    return { kind, items: make((await load).data) };
  } catch (e) {
    return { kind, error: e instanceof ApiError ? e : offlineError() };
  }
}

/** Every list at once (seven requests in parallel), as one answer for the screen. */
export async function loadMyDay(): Promise<Fetched<MyDayData>> {
  const known = await names().catch(() => new Map<string, string>());
  const groups = await Promise.all([
    settle("messages", call(api.GET("/api/v1/conversations", { params: { query: { scope: "team", limit: 200 } } })), messages),
    settle("concerns", call(api.GET("/api/v1/accommodation-concerns")), concerns),
    settle("reviews", call(api.GET("/api/v1/plans/review-requests")), (rows) => reviews(rows, known)),
    settle("plans", call(api.GET("/api/v1/plans/caseload")), plans),
    settle("followUps", call(api.GET("/api/v1/follow-ups")), followUps),
    settle("documents", call(api.GET("/api/v1/documents/outstanding")), documents),
    settle("failed", call(api.GET("/api/v1/notifications/failed")), (rows) => failed(rows, known)),
  ]);
  const signedOut = groups.find((g) => "error" in g && g.error.kind === "signed_out");
  if (signedOut && "error" in signedOut) throw signedOut.error;
  return { data: { groups }, savedAt: null, etag: null };
}

export const KIND_TITLE: Record<Kind, StaffKey> = {
  messages: "myDay.messages",
  concerns: "myDay.concerns",
  reviews: "myDay.reviews",
  plans: "myDay.plans",
  followUps: "myDay.followUps",
  documents: "myDay.documents",
  failed: "myDay.failed",
};
