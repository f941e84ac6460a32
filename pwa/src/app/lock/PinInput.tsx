/**
 * A PIN box in govuk-frontend's code-input pattern: digits only (the phone shows its number
 * pad), hidden as typed (someone may be looking over a shoulder), paste allowed (WCAG 3.3.8).
 */
import { describedBy, FieldIntro } from "../../ui/FieldIntro";

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
  const described = describedBy(id, hint, error);
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <FieldIntro id={id} label={label} hint={hint} error={error} labelClass="govuk-label govuk-label--s" />
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
