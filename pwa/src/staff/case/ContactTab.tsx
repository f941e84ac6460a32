import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { st, stKey } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { summaryItems } from "../../ui/problem";
import { useResource } from "../../ui/useResource";
import { formatDate, todayIso } from "../format";
import { DatePart } from "./DateField";
import { Section } from "./Section";

type Kind = components["schemas"]["ContactKind"];
const KINDS: readonly Kind[] = ["visit", "phone", "video", "message", "office", "check_in", "other"];

/** Record a contact (date, how, a note), with the recent ones under it. */
export function ContactTab({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:contacts`, () =>
    call(api.GET("/api/v1/young-people/{yp}/contacts", { params: { path: { yp: id } } })),
  );
  const [today] = useState(() => todayIso().split("-"));
  const [day, setDay] = useState(String(Number(today[2])));
  const [month, setMonth] = useState(String(Number(today[1])));
  const [year, setYear] = useState(today[0] ?? "");
  const [kind, setKind] = useState<Kind>("visit");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    if (saving) return;
    const pad = (v: string) => v.trim().padStart(2, "0");
    const date = `${year.trim()}-${pad(month)}-${pad(day)}`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(new Date(`${date}T12:00:00`).getTime())) {
      setErrors([{ field: "contact-contact_on", text: st("contact.badDate") }]);
      return;
    }
    setSaving(true);
    setErrors([]);
    setSaved(null);
    try {
      await call(
        api.POST("/api/v1/young-people/{yp}/contacts", {
          params: { path: { yp: id } },
          body: { contact_on: date, kind, note: note.trim() === "" ? null : note },
        }),
      );
      setNote("");
      setSaved(st("contact.saved", { date: formatDate(date) }));
      resource.reload();
    } catch (err) {
      setErrors(summaryItems(err instanceof ApiError ? err : offlineError(), "contact-"));
    } finally {
      setSaving(false);
    }
  };

  const dateError = errors.find((x) => x.field === "contact-contact_on");
  const noteError = errors.find((x) => x.field === "contact-note");
  return (
    <>
      <form onSubmit={(e) => void save(e)} noValidate>
        <h2 class="govuk-heading-m">{st("contact.title")}</h2>
        <ErrorSummary items={errors} />
        {saved && (
          <div class="govuk-notification-banner govuk-notification-banner--success" role="status">
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">{saved}</p>
            </div>
          </div>
        )}
        <div class={`govuk-form-group${dateError ? " govuk-form-group--error" : ""}`}>
          <fieldset class="govuk-fieldset" role="group" aria-describedby={`contact-date-hint${dateError ? " contact-date-error" : ""}`}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("contact.date")}</legend>
            <div class="govuk-hint" id="contact-date-hint">
              {st("contact.dateHint")}
            </div>
            {dateError && (
              <p class="govuk-error-message" id="contact-date-error">
                {dateError.text}
              </p>
            )}
            <div class="govuk-date-input">
              <DatePart id="contact-contact_on" label={st("contact.day")} value={day} set={setDay} width={2} error={!!dateError} />
              <DatePart id="contact-month" label={st("contact.month")} value={month} set={setMonth} width={2} error={!!dateError} />
              <DatePart id="contact-year" label={st("contact.year")} value={year} set={setYear} width={4} error={!!dateError} />
            </div>
          </fieldset>
        </div>
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("contact.kind")}</legend>
            <div class="govuk-radios govuk-radios--small govuk-radios--inline">
              {KINDS.map((k) => (
                <div class="govuk-radios__item" key={k}>
                  <input
                    class="govuk-radios__input"
                    id={k === "visit" ? "contact-kind" : `contact-kind-${k}`}
                    type="radio"
                    name="contact-kind"
                    value={k}
                    checked={kind === k}
                    onChange={() => setKind(k)}
                  />
                  <label class="govuk-label govuk-radios__label" for={k === "visit" ? "contact-kind" : `contact-kind-${k}`}>
                    {st(stKey("contact.kind", k))}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div class={`govuk-form-group${noteError ? " govuk-form-group--error" : ""}`}>
          <label class="govuk-label govuk-label--s" for="contact-note">
            {st("contact.note")}
          </label>
          {noteError && <p class="govuk-error-message">{noteError.text}</p>}
          <textarea class="govuk-textarea" id="contact-note" rows={4} maxLength={10000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <button type="submit" class="govuk-button" disabled={saving} aria-disabled={saving}>
          {st("contact.save")}
        </button>
      </form>
      <Section title={st("contact.recent")} resource={resource} level={3}>
        {(contacts) =>
          contacts.length === 0 ? (
            <p class="govuk-body">{st("contact.none")}</p>
          ) : (
            <dl class="govuk-summary-list">
              {[...contacts]
                .sort((a, b) => b.contact_on.localeCompare(a.contact_on))
                .slice(0, 10)
                .map((c) => (
                  <div class="govuk-summary-list__row" key={c.id}>
                    <dt class="govuk-summary-list__key">
                      {formatDate(c.contact_on)}
                      <br />
                      {st(stKey("contact.kind", c.kind))}
                    </dt>
                    <dd class="govuk-summary-list__value">
                      <span class="app-prewrap">{c.note ?? ""}</span>
                      {c.recorded_by && <p class="govuk-body-s govuk-!-margin-0">{st("contact.by", { name: c.recorded_by.name })}</p>}
                    </dd>
                  </div>
                ))}
            </dl>
          )
        }
      </Section>
    </>
  );
}
