import { useMemo, useState } from "preact/hooks";
import { api, call } from "../../../api/client";
import { ApiError, offlineError } from "../../../api/errors";
import { st, stKey } from "../../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../../ui/ErrorSummary";
import { problemText } from "../../../ui/problem";
import { formatDateTime } from "../../format";
import { DateField } from "../DateField";
import { dateErrors, type Draft, draftOf, fieldIds, REVIEW_BY, updateOf, type Version } from "./draft";
import { SectionEditor } from "./SectionEditor";
import { TaskList } from "./TaskList";

type Outcome = { kind: "saved" | "shared" } | { kind: "changed" } | null;

/**
 * The draft (or the version waiting for the young person's answer) as a form: save with If-Match,
 * share with the young person; every gap the API names is shown on its input and in the summary.
 */
export function PlanEditor({ id, version, onShared }: { id: string; version: Version; onShared: () => void }) {
  const [saved, setSaved] = useState<Version>(version);
  const [draft, setDraft] = useState<Draft>(() => draftOf(version));
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const errors = useMemo(() => new Map(summary.filter((s) => s.field).map((s) => [s.field as string, s.text])), [summary]);
  // Sections the last answer named: their task list tag stays Incomplete until fixed and saved.
  const named = useMemo(() => {
    const codes = new Set<string>();
    for (const s of summary) {
      const section = s.field?.match(/^plan-(?!action-)([a-z_]+)-/)?.[1];
      const action = s.field?.match(/^plan-action-(\d+)-/)?.[1];
      if (section) codes.add(section);
      if (action !== undefined) codes.add(draft.actions[Number(action)]?.section_code ?? "");
    }
    return codes;
  }, [summary, draft.actions]);

  const change = (next: Draft) => {
    setDraft(next);
    setDirty(true);
    setOutcome(null);
  };

  const fail = (err: unknown, against: Version | null) => {
    const error = err instanceof ApiError ? err : offlineError();
    if (error.status === 412 || error.status === 409) {
      setOutcome({ kind: "changed" });
      setSummary([]);
      return;
    }
    if (error.kind === "invalid" && error.fieldErrors.length > 0) {
      const ids = fieldIds(
        error.fieldErrors.map((f) => f.field),
        draft,
        against,
      );
      setSummary(error.fieldErrors.map((f, i) => ({ field: ids[i], text: f.message })));
      return;
    }
    setSummary([{ text: error.problem?.detail ?? problemText(error) }]);
  };

  /** Saves when there is anything to save; the version as the server now has it, or null. */
  const save = async (): Promise<Version | null> => {
    const bad = dateErrors(draft, st("contact.badDate"));
    if (bad.size > 0) {
      setSummary([...bad].map(([field, text]) => ({ field, text })));
      return null;
    }
    if (!dirty) return saved;
    try {
      const result = await call(
        api.PATCH("/api/v1/young-people/{yp}/plan/draft", {
          params: { path: { yp: id }, header: { "if-match": saved.etag } },
          body: updateOf(draft),
        }),
      );
      setSaved(result.data);
      setDirty(false);
      return result.data;
    } catch (err) {
      fail(err, saved);
      return null;
    }
  };

  const run = async (share: boolean) => {
    if (busy) return;
    setBusy(true);
    setSummary([]);
    setOutcome(null);
    try {
      const current = await save();
      if (current === null) return;
      if (!share) {
        setOutcome({ kind: "saved" });
        return;
      }
      try {
        const shared = await call(
          api.POST("/api/v1/young-people/{yp}/plan/draft/submit", {
            params: { path: { yp: id }, header: { "if-match": current.etag } },
          }),
        );
        setSaved(shared.data);
        setDraft(draftOf(shared.data));
        setOutcome({ kind: "shared" });
        onShared();
      } catch (err) {
        fail(err, current);
      }
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    setBusy(true);
    try {
      const fresh = await call(api.GET("/api/v1/young-people/{yp}/plan", { params: { path: { yp: id } } }));
      const next = fresh.data.in_progress;
      if (next) {
        setSaved(next);
        setDraft(draftOf(next));
        setDirty(false);
        setOutcome(null);
        setSummary([]);
      } else onShared();
    } catch (err) {
      fail(err, null);
    } finally {
      setBusy(false);
    }
  };

  const whole = saved.responses.filter((r) => r.section_code === null);
  return (
    <form
      onFocusIn={keepClearOfTheBar}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(false);
      }}
    >
      <ErrorSummary items={summary} />
      {outcome?.kind === "changed" && (
        <div class="govuk-notification-banner" role="alert" aria-labelledby="plan-changed-title">
          <div class="govuk-notification-banner__header">
            <h3 class="govuk-notification-banner__title" id="plan-changed-title">
              {st("planEdit.changedTitle")}
            </h3>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{st("planEdit.changed")}</p>
            <button type="button" class="govuk-button govuk-!-margin-bottom-0" onClick={() => void reload()}>
              {st("planEdit.reload")}
            </button>
          </div>
        </div>
      )}
      {(outcome?.kind === "saved" || outcome?.kind === "shared") && (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="status">
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{st(outcome.kind === "saved" ? "planEdit.saved" : "planEdit.sharedDone")}</p>
          </div>
        </div>
      )}
      {saved.state === "awaiting_response" && (
        <p class="govuk-inset-text">{st("planEdit.waiting", { when: saved.submitted_at ? formatDateTime(saved.submitted_at) : "" })}</p>
      )}
      {whole.length > 0 && (
        <div class="govuk-inset-text">
          {whole.map((r) => (
            <p class="govuk-body" key={r.id}>
              {st("planEdit.wholePlan", { kind: st(stKey("planEdit.response", r.kind)), when: formatDateTime(r.created_at) })} {r.comment ?? ""}
            </p>
          ))}
        </div>
      )}
      <h3 class="govuk-heading-m">{st("planEdit.sections")}</h3>
      <TaskList draft={draft} named={named} />
      <DateField
        id={REVIEW_BY}
        legend={st("planEdit.reviewBy")}
        hint={st("contact.dateHint")}
        value={draft.reviewBy}
        onChange={(v) => change({ ...draft, reviewBy: v })}
        error={errors.get(REVIEW_BY)}
      />
      {draft.sections.map((s) => (
        <SectionEditor
          key={s.code}
          section={s}
          draft={draft}
          responses={saved.responses.filter((r) => r.section_code === s.code)}
          errors={errors}
          onChange={change}
        />
      ))}
      <div class="govuk-button-group staff-plan-buttons">
        <button type="submit" class="govuk-button govuk-button--secondary" disabled={busy} aria-disabled={busy}>
          {st("planEdit.save")}
        </button>
        <button type="button" class="govuk-button" disabled={busy} aria-disabled={busy} onClick={() => void run(true)}>
          {st("planEdit.share")}
        </button>
      </div>
    </form>
  );
}

/**
 * A field focused (by Tab, or by an error summary's link) under the sticky Save/Share bar is
 * scrolled up clear of it, so a PA always sees the field they are in (WCAG 2.2, 2.4.11). CSS
 * scroll-padding does not do it: Chromium does not scroll a field it counts as already visible.
 */
function keepClearOfTheBar(event: FocusEvent): void {
  const field = event.target;
  const bar = (event.currentTarget as HTMLElement | null)?.querySelector(".staff-plan-buttons");
  if (!(field instanceof HTMLElement) || !bar || bar.contains(field)) return;
  const under = field.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
  if (under > 0) window.scrollBy(0, under + 16);
}
