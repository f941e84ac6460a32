import { t } from "../../i18n";
import { Link } from "../../ui/Link";

/** The confirmation page: the same words whether or not the name has an account (the API's rule). */
export function ForgotPasswordSent() {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation app-panel--small">
          <h1 class="govuk-panel__title" tabIndex={-1}>
            {t("forgot.sentTitle")}
          </h1>
        </div>
        <p class="govuk-body">{t("forgot.sent")}</p>
        <p class="govuk-body">{t("forgot.sentNothing")}</p>
        <p class="govuk-body">
          <Link href="/forgot-password">{t("forgot.again")}</Link>
        </p>
        <p class="govuk-body">
          <Link href="/">{t("signIn.title")}</Link>
        </p>
      </div>
    </div>
  );
}
