import { useState } from "preact/hooks";
import { api, call, type components } from "../../../api/client";
import { ApiError, offlineError } from "../../../api/errors";
import { st, stKey } from "../../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../../ui/ErrorSummary";
import { summaryItems } from "../../../ui/problem";
import { todayIso } from "../../format";
import { DateField, isoOf, partsOf } from "../DateField";
import { FieldError } from "../FieldError";

type Checklist = components["schemas"]["Checklist"];
type State = components["schemas"]["DocumentState"];
const STATES: readonly State[] = ["not_started", "requested", "in_progress", "with_young_person", "not_applicable"];

/** Mark where a document is (with If-Match: the young person may have said "I have it" meanwhile). */
export function MarkDocument({ id, list, onSaved, onReload }: { id: string; list: Checklist; onSaved: (next: Checklist) => void; onReload: () => void }) {
  const items = list.items.filter((i) => !i.retired);
  const [type, setType] = useState(items[0]?.key ?? "");
  const [state, setState] = useState<State>("requested");
  const [on, setOn] = useState(() => partsOf(todayIso()));
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [changed, setChanged] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    const item = items.find((i) => i.key === type);
    if (busy || !item) return;
    const date = isoOf(on);
    if (date === "invalid") {
      setErrors([{ field: "doc-on", text: st("contact.badDate") }]);
      return;
    }
    if (state === "not_applicable" && reason.trim() === "") {
      setErrors([{ field: "doc-not_applicable_reason", text: st("docMark.reasonNeeded") }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    setChanged(false);
    setDone(null);
    try {
      const result = await call(
        api.PATCH("/api/v1/young-people/{yp}/documents/{type}", {
          params: { path: { yp: id, type }, header: { "if-match": item.etag } },
          body: {
            state,
            on: date,
            not_applicable_reason: state === "not_applicable" ? reason : null,
            note: note.trim() === "" ? null : note,
          },
        }),
      );
      setNote("");
      setReason("");
      setDone(st("docMark.saved", { name: item.name, state: st(stKey("documents.state", state)) }));
      onSaved(result.data);
    } catch (err) {
      const error = err instanceof ApiError ? err : offlineError();
      if (error.kind === "changed") setChanged(true);
      else setErrors(summaryItems(error, "doc-"));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => errors.find((x) => x.field === field)?.text;
  return (
    <form noValidate onSubmit={(e) => void save(e)}>
      <h3 class="govuk-heading-m">{st("docMark.title")}</h3>
      <ErrorSummary items={errors} />
      {done && (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="status">
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{done}</p>
          </div>
        </div>
      )}
      {changed && (
        <div class="govuk-warning-text" role="alert">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <div class="govuk-warning-text__text">
            {st("docMark.changed")}{" "}
            <button type="button" class="staff-link-button" onClick={onReload}>
              {st("planEdit.reload")}
            </button>
          </div>
        </div>
      )}
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="doc-type">
          {st("docMark.which")}
        </label>
        <select class="govuk-select" id="doc-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {items.map((i) => (
            <option key={i.key} value={i.key}>
              {i.name} ({st(stKey("documents.state", i.state))})
            </option>
          ))}
        </select>
      </div>
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("docMark.state")}</legend>
          <div class="govuk-radios govuk-radios--small">
            {STATES.map((s, i) => (
              <div class="govuk-radios__item" key={s}>
                <input
                  class="govuk-radios__input"
                  id={i === 0 ? "doc-state" : `doc-state-${s}`}
                  type="radio"
                  name="doc-state"
                  checked={state === s}
                  onChange={() => setState(s)}
                />
                <label class="govuk-label govuk-radios__label" for={i === 0 ? "doc-state" : `doc-state-${s}`}>
                  {st(stKey("documents.state", s))}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      {state === "not_applicable" && (
        <div class={`govuk-form-group${err("doc-not_applicable_reason") ? " govuk-form-group--error" : ""}`}>
          <label class="govuk-label" for="doc-not_applicable_reason">
            {st("docMark.reason")}
          </label>
          <FieldError id="doc-not_applicable_reason" text={err("doc-not_applicable_reason")} />
          <textarea class="govuk-textarea" id="doc-not_applicable_reason" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
      )}
      <DateField id="doc-on" legend={st("docMark.on")} value={on} onChange={setOn} error={err("doc-on")} />
      <div class={`govuk-form-group${err("doc-note") ? " govuk-form-group--error" : ""}`}>
        <label class="govuk-label" for="doc-note">
          {st("docMark.note")}
        </label>
        <FieldError id="doc-note" text={err("doc-note")} />
        <textarea class="govuk-textarea" id="doc-note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <button type="submit" class="govuk-button" disabled={busy}>
        {st("docMark.save")}
      </button>
    </form>
  );
}
