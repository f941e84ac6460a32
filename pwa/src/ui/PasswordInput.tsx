import { useState } from "preact/hooks";
import { t } from "../i18n";
import { describedBy, FieldIntro } from "./FieldIntro";

interface Props {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  autocomplete: "current-password" | "new-password";
  onInput: (value: string) => void;
}

/** govuk-frontend's password input, with the show/hide button done here (WCAG 3.3.8: paste allowed). */
export function PasswordInput({ id, label, value, error, hint, autocomplete, onInput }: Props) {
  const [shown, setShown] = useState(false);
  const described = describedBy(id, hint, error);
  return (
    <div class={`govuk-form-group govuk-password-input${error ? " govuk-form-group--error" : ""}`}>
      <FieldIntro id={id} label={label} hint={hint} error={error} />
      <div class="govuk-input__wrapper govuk-password-input__wrapper">
        <input
          class={`govuk-input govuk-password-input__input govuk-js-password-input-input${error ? " govuk-input--error" : ""}`}
          id={id}
          name={id}
          type={shown ? "text" : "password"}
          spellcheck={false}
          autocapitalize="none"
          autocomplete={autocomplete}
          aria-describedby={described}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        <button
          type="button"
          class="govuk-button govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle"
          aria-controls={id}
          aria-label={shown ? t("signIn.hidePassword") : t("signIn.showPassword")}
          onClick={() => setShown(!shown)}
        >
          {shown ? t("signIn.hide") : t("signIn.show")}
        </button>
      </div>
      <div class="govuk-password-input__sr-status govuk-visually-hidden" aria-live="polite">
        {shown ? t("signIn.passwordShown") : t("signIn.passwordHidden")}
      </div>
    </div>
  );
}
