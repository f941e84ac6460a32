/**
 * govuk-frontend form fields for the admin and account screens, each showing its own error (the
 * 422 `errors[].field` mapped to the input's id) under its label, as the error summary links it.
 */
import { useEffect, useRef } from "preact/hooks";
import { ApiError, offlineError } from "../../api/errors";
import { st, type StaffKey } from "../../i18n/staff.en";
import type { SummaryItem } from "../../ui/ErrorSummary";
import { describedBy, FieldIntro } from "../../ui/FieldIntro";
import { summaryItems } from "../../ui/problem";

/** The error for the input with this id, if the summary has one. */
export const errorFor = (errors: readonly SummaryItem[], id: string): string | undefined =>
  errors.find((e) => e.field === id)?.text;

interface TextProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  type?: "text" | "email" | "tel" | "number";
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  autocomplete?: string;
  inputMode?: "numeric" | "text" | "tel";
  multiline?: boolean;
  spellcheck?: boolean;
}

export function TextField(props: TextProps) {
  const { id, label, hint, value, onInput, error, type = "text", width, autocomplete, inputMode, multiline, spellcheck } = props;
  const described = describedBy(id, hint, error);
  const errorClass = error ? (multiline ? " govuk-textarea--error" : " govuk-input--error") : "";
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <FieldIntro id={id} label={label} hint={hint} error={error} labelClass="govuk-label govuk-label--s" errorPrefix={st("admin.errorPrefix")} />
      {multiline ? (
        <textarea
          class={`govuk-textarea${errorClass}`}
          id={id}
          name={id}
          rows={3}
          value={value}
          aria-describedby={described}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      ) : (
        <input
          class={`govuk-input${width ? ` govuk-input--width-${width}` : ""}${errorClass}`}
          id={id}
          name={id}
          type={type}
          value={value}
          autocomplete={autocomplete}
          inputMode={inputMode}
          spellcheck={spellcheck}
          aria-describedby={described}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </div>
  );
}

interface CheckProps {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}

/** One checkbox in its own form group (a yes/no setting). */
export function CheckField({ id, label, hint, checked, onChange, error }: CheckProps) {
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      {error && (
        <p class="govuk-error-message" id={`${id}-error`}>
          <span class="govuk-visually-hidden">{st("admin.errorPrefix")}</span> {error}
        </p>
      )}
      <div class="govuk-checkboxes govuk-checkboxes--small">
        <div class="govuk-checkboxes__item">
          <input
            class="govuk-checkboxes__input"
            id={id}
            name={id}
            type="checkbox"
            checked={checked}
            aria-describedby={describedBy(id, hint, error)}
            onChange={(e) => onChange(e.currentTarget.checked)}
          />
          <label class="govuk-label govuk-checkboxes__label" for={id}>
            {label}
          </label>
          {hint && (
            <div class="govuk-hint govuk-checkboxes__hint" id={`${id}-hint`}>
              {hint}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string | undefined;
}

export function SelectField({ id, label, value, options, onChange, error }: SelectProps) {
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label govuk-label--s" for={id}>
        {label}
      </label>
      {error && (
        <p class="govuk-error-message" id={`${id}-error`}>
          <span class="govuk-visually-hidden">{st("admin.errorPrefix")}</span> {error}
        </p>
      )}
      <select
        class={`govuk-select${error ? " govuk-select--error" : ""}`}
        id={id}
        name={id}
        value={value}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.currentTarget.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The green banner after a save, announced and focused (a long form's button is far below it). */
export function Saved({ text }: { text: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (text) box.current?.focus();
  }, [text]);
  if (!text) return null;
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="status" tabIndex={-1} ref={box}>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}

/**
 * What a failed save shows: each 422 error on its field; a 409's or 403's own sentence (it says
 * what to do first, e.g. set up your own code before requiring codes); otherwise the usual one.
 * `plain` words a schema error ("body.x": the API's validator speaks of patterns) for people;
 * the API's own rule errors ("x") are already in plain English and shown as they are.
 */
export function saveErrors(error: unknown, prefix: string, plain?: (field: string) => string | undefined): SummaryItem[] {
  const e = error instanceof ApiError ? error : offlineError();
  if ((e.status === 409 || e.status === 403) && e.problem?.detail) return [{ text: e.problem.detail }];
  const items = summaryItems(e, prefix);
  if (!plain || e.kind !== "invalid") return items;
  return items.map((item, i) => {
    const raw = e.fieldErrors[i]?.field ?? "";
    const worded = raw.startsWith("body.") ? plain(raw.slice(5)) : undefined;
    return worded ? { ...item, text: worded } : item;
  });
}

/** The catalogue's "<prefix>.<field>.invalid" sentence, when it has one. */
export const invalidText =
  (prefix: string) =>
  (field: string): string | undefined => {
    const key = `${prefix}.${field}.invalid` as StaffKey;
    const text = st(key);
    return text === key ? undefined : text;
  };
