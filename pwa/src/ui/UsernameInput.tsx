import { t } from "../i18n";

/**
 * "Email address or mobile number", as sign-in and "forgot password" both ask it: typed as an
 * address (no capitals, no spell check, left to right even in Arabic) and offered by password
 * managers as the username.
 */
export function UsernameInput({
  value,
  onInput,
  error,
  hint,
}: {
  value: string;
  onInput: (value: string) => void;
  error?: string | null | undefined;
  hint?: string;
}) {
  const describedBy = [hint ? "username-hint" : null, error ? "username-error" : null].filter(Boolean).join(" ");
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for="username">
        {t("signIn.username")}
      </label>
      {hint && (
        <div id="username-hint" class="govuk-hint">
          {hint}
        </div>
      )}
      {error && (
        <p id="username-error" class="govuk-error-message">
          {error}
        </p>
      )}
      <input
        class={`govuk-input${error ? " govuk-input--error" : ""}`}
        id="username"
        name="username"
        type="text"
        inputMode="email"
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        dir="ltr"
        aria-describedby={describedBy || undefined}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </div>
  );
}
