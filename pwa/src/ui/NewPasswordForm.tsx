import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api/errors";
import { t } from "../i18n";
import { ErrorSummary, type SummaryItem } from "./ErrorSummary";
import { online } from "./network";
import { PasswordInput } from "./PasswordInput";
import { fieldErrorText, problemText } from "./problem";

const MIN_LENGTH = 8; // the API's only rule (length, as NCSC advises)

interface Props {
  title: string;
  submitLabel: string;
  /** Sends the password; throws ApiError. */
  send: (password: string) => Promise<void>;
  /** Answers the form cannot show beside the field (404, 409): the screen decides. */
  onProblem: (error: ApiError) => void;
  children?: ComponentChildren;
}

/** Choose a password: one field, show/hide, `new-password` so a password manager offers one. */
export function NewPasswordForm({ title, submitLabel, send, onProblem, children }: Props) {
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < MIN_LENGTH) {
      setErrors([{ field: "password", text: password ? t("password.tooShort") : t("password.missing") }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await send(password);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind === "invalid") {
        // The API names the field `password` or `new_password`: both are this one input.
        setErrors(e.fieldErrors.length > 0 ? e.fieldErrors.map((f) => ({ field: "password", text: fieldErrorText(f) })) : [{ text: problemText(e) }]);
      } else if (e.kind === "rate_limited" || e.kind === "offline" || e.kind === "server") {
        setErrors([{ text: problemText(e) }]);
      } else {
        onProblem(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const error = errors.find((e) => e.field === "password")?.text;
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors} />
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {title}
      </h1>
      {children}
      <PasswordInput
        id="password"
        label={t("password.new")}
        hint={t("password.hint")}
        autocomplete="new-password"
        value={password}
        error={error}
        onInput={setPassword}
      />
      {!online.value && <p class="govuk-inset-text">{t("app.offlineFormDisabled")}</p>}
      <button type="submit" class="govuk-button" disabled={busy || !online.value}>
        {submitLabel}
      </button>
    </form>
  );
}
