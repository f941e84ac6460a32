import { st } from "../../i18n/staff.en";

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const noDate: DateParts = { day: "", month: "", year: "" };

/** "2026-12-04" into the three boxes staff type into (GOV.UK date input). */
export function partsOf(iso: string | null | undefined): DateParts {
  if (!iso) return noDate;
  const [year = "", month = "", day = ""] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** The boxes as "YYYY-MM-DD"; null when all are empty, "invalid" when they are not a real date. */
export function isoOf(parts: DateParts): string | null | "invalid" {
  const { day, month, year } = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  if (day === "" && month === "" && year === "") return null;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return "invalid";
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const at = new Date(`${iso}T12:00:00Z`);
  // 31 2 2026 parses as 3 March: a date that does not round-trip is not a real one.
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== iso ? "invalid" : iso;
}

/**
 * GOV.UK date input. The day box carries `id`, so an error summary link for the field lands on
 * the first box.
 */
export function DateField(props: {
  id: string;
  legend: string;
  value: DateParts;
  onChange: (value: DateParts) => void;
  error?: string | undefined;
  hint?: string;
}) {
  const { id, legend, value, onChange, error, hint } = props;
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const box = (part: keyof DateParts, label: string, width: 2 | 4, boxId: string) => (
    <div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for={boxId}>
          {label}
        </label>
        <input
          class={`govuk-input govuk-date-input__input govuk-input--width-${width}${error ? " govuk-input--error" : ""}`}
          id={boxId}
          type="text"
          inputMode="numeric"
          value={value[part]}
          onInput={(e) => onChange({ ...value, [part]: e.currentTarget.value })}
        />
      </div>
    </div>
  );
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset class="govuk-fieldset" role="group" aria-describedby={described || undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint && (
          <div class="govuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        {error && (
          <p class="govuk-error-message" id={`${id}-error`}>
            {error}
          </p>
        )}
        <div class="govuk-date-input">
          {box("day", st("contact.day"), 2, id)}
          {box("month", st("contact.month"), 2, `${id}-month`)}
          {box("year", st("contact.year"), 4, `${id}-year`)}
        </div>
      </fieldset>
    </div>
  );
}

/** One box of a govuk date input, for a form that keeps day, month and year apart (contact, away). */
export function DatePart(props: { id: string; label: string; value: string; set: (v: string) => void; width: 2 | 4; error: boolean }) {
  return (
    <div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for={props.id}>
          {props.label}
        </label>
        <input
          class={`govuk-input govuk-date-input__input govuk-input--width-${props.width}${props.error ? " govuk-input--error" : ""}`}
          id={props.id}
          type="text"
          inputMode="numeric"
          value={props.value}
          onInput={(e) => props.set(e.currentTarget.value)}
        />
      </div>
    </div>
  );
}
