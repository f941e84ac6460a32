import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { t } from "../../i18n";
import { NewPasswordForm } from "../../ui/NewPasswordForm";
import { ProblemView } from "../../ui/ProblemView";
import { SignInForm } from "../../ui/SignInForm";
import { takeHashToken } from "../../ui/hashToken";
import { useResource } from "../../ui/useResource";

type Stage = "choose" | "had_account";

/**
 * Set up from the invite link (`/invite#token=…`): the council's name, then a first password.
 * Accepting through the cookie route signs the young person in at once (an HttpOnly session
 * cookie: no script holds a token), so they never have to type the address the invite went to.
 * Only when their account already existed do they sign in themselves.
 */
export function Invite({ onSignedIn }: { onSignedIn: () => void }) {
  const [token] = useState(takeHashToken);
  const [stage, setStage] = useState<Stage>("choose");
  const [gone, setGone] = useState(false);
  const welcome = useResource(`invite:${token ?? ""}`, () =>
    token ? call(api.GET("/api/v1/invites/{token}", { params: { path: { token } } })) : Promise.reject(new ApiError(404, null, null)),
  );

  if (!token || gone || (welcome.error && (welcome.error.kind === "not_found" || welcome.error.kind === "invalid"))) {
    return (
      <>
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {t("invite.goneTitle")}
        </h1>
        <p class="govuk-body">{t("invite.gone")}</p>
      </>
    );
  }
  if (stage !== "choose") {
    return (
      <>
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="invite-ready">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="invite-ready">
              {t("invite.readyTitle")}
            </h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{t("invite.hadAccount")}</p>
          </div>
        </div>
        <SignInForm onSignedIn={onSignedIn} />
      </>
    );
  }
  if (welcome.data === undefined) {
    return (
      <>
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {t("invite.title")}
        </h1>
        <p class="govuk-body" role="status">
          {welcome.loading ? t("app.loading") : ""}
        </p>
        {welcome.error && <ProblemView error={welcome.error} retry={welcome.reload} />}
      </>
    );
  }
  const council = welcome.data.organisation_name;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <NewPasswordForm
          title={t("invite.title")}
          submitLabel={t("invite.submit")}
          send={async (password) => {
            await call(api.POST("/api/v1/auth/cookie/invites/accept", { body: { token, password } }));
            onSignedIn();
          }}
          onProblem={(e) => {
            if (e.kind === "changed") setStage("had_account");
            else setGone(true);
          }}
        >
          <p class="govuk-body-l">{t("invite.welcome", { council })}</p>
          <p class="govuk-body">{t("invite.choose")}</p>
        </NewPasswordForm>
      </div>
    </div>
  );
}
