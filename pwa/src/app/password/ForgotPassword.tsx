import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { t } from "../../i18n";
import { UsernameInput } from "../../ui/UsernameInput";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Link } from "../../ui/Link";
import { online } from "../../ui/network";
import { problemText } from "../../ui/problem";
import { navigate } from "../../ui/router";

/** Forgot password: the email or mobile the account uses; a link goes there (SMS or email). */
export function ForgotPassword() {
  const [username, setUsername] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const name = username.trim();
    if (!name) {
      setErrors([{ field: "username", text: t("signIn.missingUsername") }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await call(api.POST("/api/v1/auth/forgot-password", { body: { username: name } }));
      navigate("/forgot-password/sent");
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind === "rate_limited") setErrors([{ text: t("signIn.wait", { minutes: Math.max(1, Math.ceil((e.retryAfter ?? 60) / 60)) }) }]);
      else if (e.kind === "invalid") setErrors([{ field: "username", text: t("forgot.invalid") }]);
      else setErrors([{ text: problemText(e) }]);
    } finally {
      setBusy(false);
    }
  };

  const error = errors.find((e) => e.field === "username")?.text;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <Link href="/" class="govuk-back-link">
          {t("app.back")}
        </Link>
        <form onSubmit={submit} noValidate>
          <ErrorSummary items={errors} />
          <h1 class="govuk-heading-l" tabIndex={-1}>
            {t("forgot.title")}
          </h1>
          <p class="govuk-body">{t("forgot.lead")}</p>
          <UsernameInput value={username} onInput={setUsername} error={error} hint={t("forgot.hint")} />
          {!online.value && <p class="govuk-inset-text">{t("app.offlineFormDisabled")}</p>}
          <button type="submit" class="govuk-button" disabled={busy || !online.value}>
            {t("forgot.submit")}
          </button>
        </form>
        <p class="govuk-body">{t("forgot.noAccess")}</p>
      </div>
    </div>
  );
}
