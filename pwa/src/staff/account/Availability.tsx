import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { errorFor, Saved, saveErrors, SelectField, TextField } from "../admin/fields";
import { DatePart } from "../case/DateField";

/** Away (leave, sickness) until the day you are back, with a colleague covering your young people. */
export function Availability({ myId }: { myId: string }) {
  const staff = useResource("staff:staff", () => call(api.GET("/api/v1/staff")));
  // What is set now, read back from the API (not what this tab last sent: another tab or a
  // manager may have changed it).
  const current = useResource("staff:availability", () => call(api.GET("/api/v1/users/me/availability")));
  const [day, setDay] = useState("");
  const [month, setMonth] = useState("");
  const [year, setYear] = useState("");
  const [cover, setCover] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const colleagues = (staff.data ?? [])
    .filter((p) => p.id !== myId && p.is_active && (p.role === "personal_adviser" || p.role === "manager"))
    .sort((a, b) => a.display_name.localeCompare(b.display_name));

  const put = async (backOn: string | null, body: { away_until: string | null; cover_id: string | null; note: string | null }) => {
    if (saving) return;
    setSaving(true);
    setErrors([]);
    setSaved(null);
    try {
      await call(api.PUT("/api/v1/users/me/availability", { body }));
      current.reload();
      setSaved(backOn ? st("account.away.saved", { date: formatDate(backOn) }) : st("account.away.back"));
    } catch (e) {
      setErrors(saveErrors(e, "away-"));
    } finally {
      setSaving(false);
    }
  };

  const save = (event: Event) => {
    event.preventDefault();
    const pad = (v: string) => v.trim().padStart(2, "0");
    const date = `${year.trim()}-${pad(month)}-${pad(day)}`;
    const at = new Date(`${date}T00:00:00`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      setErrors([{ field: "away-away_until", text: st("account.away.badDate") }]);
      return;
    }
    // Away until the start of the day they are back, in the browser's zone, sent with its offset.
    void put(date, { away_until: at.toISOString(), cover_id: cover || null, note: note.trim() || null });
  };

  const now = current.data;
  const dateError = errorFor(errors, "away-away_until");
  return (
    <section aria-labelledby="away-title">
      <h2 class="govuk-heading-m" id="away-title">
        {st("account.away.title")}
      </h2>
      <ErrorSummary items={errors} />
      <Saved text={saved} />
      {now && (
        <p class="govuk-inset-text">
          {now.away_now && now.away_until
            ? st(now.cover ? "account.away.currentCover" : "account.away.current", { date: formatDate(now.away_until), name: now.cover?.name ?? "" })
            : st("account.away.in")}
        </p>
      )}
      <form onSubmit={save} noValidate>
        <div class={`govuk-form-group${dateError ? " govuk-form-group--error" : ""}`}>
          <fieldset class="govuk-fieldset" role="group" aria-describedby={`away-date-hint${dateError ? " away-date-error" : ""}`}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("account.away.backOn")}</legend>
            <div class="govuk-hint" id="away-date-hint">
              {st("account.away.backOnHint")}
            </div>
            {dateError && (
              <p class="govuk-error-message" id="away-date-error">
                {dateError}
              </p>
            )}
            <div class="govuk-date-input">
              <DatePart id="away-away_until" label={st("contact.day")} value={day} set={setDay} width={2} error={!!dateError} />
              <DatePart id="away-month" label={st("contact.month")} value={month} set={setMonth} width={2} error={!!dateError} />
              <DatePart id="away-year" label={st("contact.year")} value={year} set={setYear} width={4} error={!!dateError} />
            </div>
          </fieldset>
        </div>
        <SelectField
          id="away-cover_id"
          label={st("account.away.cover")}
          value={cover}
          options={[{ value: "", label: st("account.away.noCover") }, ...colleagues.map((c) => ({ value: c.id, label: c.display_name }))]}
          onChange={setCover}
          error={errorFor(errors, "away-cover_id")}
        />
        <TextField id="away-note" label={st("account.away.note")} hint={st("account.away.noteHint")} value={note} onInput={setNote} error={errorFor(errors, "away-note")} multiline />
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button" disabled={saving}>
            {st("account.away.save")}
          </button>
          <button
            type="button"
            class="govuk-button govuk-button--secondary"
            disabled={saving}
            onClick={() => void put(null, { away_until: null, cover_id: null, note: null })}
          >
            {st("account.away.imBack")}
          </button>
        </div>
      </form>
    </section>
  );
}
