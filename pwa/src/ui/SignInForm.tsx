import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api/errors";
import { signIn } from "../api/session";
import { t } from "../i18n";
import { UsernameInput } from "./UsernameInput";
import { ErrorSummary, type SummaryItem } from "./ErrorSummary";
import { PasswordInput } from "./PasswordInput";
import { problemText } from "./problem";

interface Props {
  /** Staff accounts may be asked for a code from their authenticator app. */
  allowOtp?: boolean;
  otpLabel?: string;
  /** The young person's app: offer "This is a shared phone" (a short session, nothing kept). */
  sharedOption?: { label: string; hint: string };
  onSignedIn: (shared: boolean) => void;
  children?: ComponentChildren;
}

/** Sign in with email or mobile and password (and a code for staff who use one). */
export function SignInForm({ allowOtp = false, otpLabel = "", sharedOption, onSignedIn, children }: Props) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [needOtp, setNeedOtp] = useState(false);
  const [shared, setShared] = useState(false);
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const fieldError = (field: string) => errors.find((e) => e.field === field)?.text;

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing: SummaryItem[] = [];
    if (!username.trim()) missing.push({ field: "username", text: t("signIn.missingUsername") });
    if (!password) missing.push({ field: "password", text: t("signIn.missingPassword") });
    setErrors(missing);
    if (missing.length > 0) return;
    setBusy(true);
    try {
      await signIn(username.trim(), password, needOtp ? otp.trim() : undefined, shared);
      setPassword("");
      onSignedIn(shared);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (allowOtp && e.extra["otp_required"] === true && !needOtp) {
        setNeedOtp(true);
        setErrors([]);
      } else if (e.kind === "signed_out" || e.status === 400) {
        setErrors([{ field: needOtp ? "otp" : "password", text: e.extra["otp_required"] === true ? e.message : t("signIn.wrong") }]);
      } else if (e.kind === "rate_limited") {
        setErrors([{ text: t("signIn.wait", { minutes: Math.max(1, Math.ceil((e.retryAfter ?? 60) / 60)) }) }]);
      } else {
        setErrors([{ text: problemText(e) }]);
      }
    } finally {
      setBusy(false);
    }
  };

  const usernameError = fieldError("username");
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors} />
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {t("signIn.title")}
      </h1>
      {children}
      <UsernameInput value={username} onInput={setUsername} error={usernameError} />
      <PasswordInput
        id="password"
        label={t("signIn.password")}
        autocomplete="current-password"
        value={password}
        error={fieldError("password")}
        onInput={setPassword}
      />
      {sharedOption && (
        <div class="govuk-form-group">
          <div class="govuk-checkboxes govuk-checkboxes--small">
            <div class="govuk-checkboxes__item">
              <input
                class="govuk-checkboxes__input"
                id="shared-device"
                name="shared_device"
                type="checkbox"
                aria-describedby="shared-device-hint"
                checked={shared}
                onChange={(e) => setShared(e.currentTarget.checked)}
              />
              <label class="govuk-label govuk-checkboxes__label" for="shared-device">
                {sharedOption.label}
              </label>
              <div id="shared-device-hint" class="govuk-hint govuk-checkboxes__hint">
                {sharedOption.hint}
              </div>
            </div>
          </div>
        </div>
      )}
      {needOtp && (
        <div class="govuk-form-group">
          <label class="govuk-label" for="otp">
            {otpLabel}
          </label>
          <input
            class="govuk-input govuk-input--width-10"
            id="otp"
            name="otp"
            inputMode="numeric"
            autocomplete="one-time-code"
            dir="ltr"
            value={otp}
            onInput={(e) => setOtp(e.currentTarget.value)}
          />
        </div>
      )}
      <button type="submit" class="govuk-button" disabled={busy}>
        {t("signIn.submit")}
      </button>
    </form>
  );
}
