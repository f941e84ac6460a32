import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { st } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { summaryItems } from "../../ui/problem";
import { todayIso } from "../format";

type Scheme = components["schemas"]["SchemeRead"];

/** Record a quality visit to a scheme; errors from the API are shown on the field they name. */
export function VisitForm({ scheme, onDone }: { scheme: Scheme; onDone: (saved: boolean) => void }) {
  const prefix = `visit-${scheme.id}-`;
  const [visitedOn, setVisitedOn] = useState(todayIso());
  const [name, setName] = useState("");
  const [role, setRole] = useState("");
  const [senior, setSenior] = useState(false);
  const [findings, setFindings] = useState("");
  const [actions, setActions] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors([]);
    try {
      await call(
        api.POST("/api/v1/schemes/{scheme_id}/visits", {
          params: { path: { scheme_id: scheme.id } },
          body: {
            visited_on: visitedOn,
            visitor_name: name.trim(),
            visitor_role: role.trim(),
            is_senior: senior,
            findings: findings.trim(),
            actions: actions.trim() === "" ? null : actions.trim(),
          },
        }),
      );
      onDone(true);
    } catch (err) {
      setErrors(summaryItems(err instanceof ApiError ? err : offlineError(), prefix));
    } finally {
      setBusy(false);
    }
  };
  const error = (field: string) => errors.find((x) => x.field === prefix + field);
  const group = (field: string) => (error(field) ? "govuk-form-group govuk-form-group--error" : "govuk-form-group");
  const message = (field: string) => {
    const found = error(field);
    return found ? (
      <p class="govuk-error-message" id={`${prefix}${field}-error`}>
        <span class="govuk-visually-hidden">{st("error.prefix")}</span> {found.text}
      </p>
    ) : null;
  };
  const text = (field: string, label: string, value: string, set: (v: string) => void, type = "text") => (
    <div class={group(field)}>
      <label class="govuk-label" for={prefix + field}>
        {label}
      </label>
      {message(field)}
      <input
        class="govuk-input govuk-input--width-20"
        id={prefix + field}
        type={type}
        value={value}
        aria-describedby={error(field) ? `${prefix}${field}-error` : undefined}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </div>
  );
  return (
    <form class="manager-visit" onSubmit={(e) => void save(e)} noValidate>
      <ErrorSummary items={errors} />
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("visit.legend", { scheme: scheme.name })}</legend>
        {text("visited_on", st("visit.date"), visitedOn, setVisitedOn, "date")}
        {text("visitor_name", st("visit.name"), name, setName)}
        {text("visitor_role", st("visit.role"), role, setRole)}
        <div class="govuk-form-group govuk-checkboxes govuk-checkboxes--small">
          <div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id={`${prefix}is_senior`} type="checkbox" checked={senior} onChange={(e) => setSenior(e.currentTarget.checked)} />
            <label class="govuk-label govuk-checkboxes__label" for={`${prefix}is_senior`}>
              {st("visit.senior")}
            </label>
          </div>
        </div>
        {(["findings", "actions"] as const).map((field) => (
          <div key={field} class={group(field)}>
            <label class="govuk-label" for={prefix + field}>
              {st(field === "findings" ? "visit.findings" : "visit.actions")}
            </label>
            {message(field)}
            <textarea
              class="govuk-textarea"
              id={prefix + field}
              rows={3}
              maxLength={2000}
              value={field === "findings" ? findings : actions}
              aria-describedby={error(field) ? `${prefix}${field}-error` : undefined}
              onInput={(e) => (field === "findings" ? setFindings : setActions)(e.currentTarget.value)}
            />
          </div>
        ))}
      </fieldset>
      <div class="govuk-button-group">
        <button type="submit" class="govuk-button" disabled={busy}>
          {st("visit.save")}
        </button>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={() => onDone(false)}>
          {st("visit.cancel")}
        </button>
      </div>
    </form>
  );
}
