import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { t } from "../../i18n";
import { Link } from "../../ui/Link";
import { NewPasswordForm } from "../../ui/NewPasswordForm";
import { SignInForm } from "../../ui/SignInForm";
import { takeHashToken } from "../../ui/hashToken";

/** Reset password (`/reset-password#token=…`): a new password, then sign in with it. */
export function ResetPassword({ onSignedIn }: { onSignedIn: () => void }) {
  const [token] = useState(takeHashToken);
  const [stage, setStage] = useState<"choose" | "done" | "gone">(token ? "choose" : "gone");

  if (stage === "gone" || !token) {
    return (
      <>
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {t("reset.goneTitle")}
        </h1>
        <p class="govuk-body">{t("reset.gone")}</p>
        <p class="govuk-body">
          <Link href="/forgot-password">{t("forgot.again")}</Link>
        </p>
      </>
    );
  }
  if (stage === "done") {
    return (
      <>
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="reset-done">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="reset-done">
              {t("reset.doneTitle")}
            </h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{t("reset.done")}</p>
          </div>
        </div>
        <SignInForm onSignedIn={onSignedIn} />
      </>
    );
  }
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <NewPasswordForm
          title={t("reset.title")}
          submitLabel={t("reset.submit")}
          send={async (password) => {
            await call(api.POST("/api/v1/auth/reset-password", { body: { token, new_password: password } }));
            setStage("done");
          }}
          onProblem={() => setStage("gone")}
        >
          <p class="govuk-body">{t("reset.lead")}</p>
        </NewPasswordForm>
      </div>
    </div>
  );
}
