/**
 * A PIN box in govuk-frontend's code-input pattern: digits only (the phone shows its number
 * pad), hidden as typed (someone may be looking over a shoulder), paste allowed (WCAG 3.3.8).
 */
export function PinInput(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string | undefined;
  autoFocus?: boolean;
  autocomplete?: string;
  onInput: (value: string) => void;
}) {
  const { id, label, hint, value, error, autoFocus = false, autocomplete = "one-time-code", onInput } = props;
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label govuk-label--s" for={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="govuk-hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} class="govuk-error-message">
          {error}
        </p>
      )}
      <input
        class={`govuk-input govuk-input--width-5${error ? " govuk-input--error" : ""}`}
        id={id}
        name={id}
        type="password"
        inputMode="numeric"
        pattern="[0-9]*"
        maxLength={6}
        spellcheck={false}
        autoComplete={autocomplete}
        autoFocus={autoFocus}
        dir="ltr"
        aria-describedby={described}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value.replace(/\D/g, ""))}
      />
    </div>
  );
}
