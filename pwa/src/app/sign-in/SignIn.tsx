import { t } from "../../i18n";
import { flush, outbox } from "../../offline/outbox";
import { signedIn } from "../../ui/auth";
import { Link } from "../../ui/Link";
import { PhoneSentence } from "../../ui/PhoneSentence";
import { SignInForm } from "../../ui/SignInForm";
import { branding } from "../branding";
import { locked } from "../lock/pin";
import { signedOutBy } from "../lock/signedOut";
import { markSharedSession } from "../sharedSession";

/** Sign in; the out-of-hours number is here too, for someone who cannot get in (UX.md §5). */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const phone = branding.value?.out_of_hours_phone ?? null;
  const unsent = outbox.value.length;
  const why = signedOutBy.value;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <SignInForm
          sharedOption={{ label: t("shared.label"), hint: t("shared.hint") }}
          onSignedIn={(shared) => {
            markSharedSession(shared);
            signedOutBy.value = null;
            locked.value = false; // the password is more than the PIN
            signedIn.value = "yes";
            onSignedIn();
            void flush();
          }}
        >
          {why && <p class="govuk-inset-text">{why === "pin" ? t("lock.signedOutPin") : t("lock.signedOutForgot")}</p>}
          {unsent > 0 && <p class="govuk-inset-text">{t("signIn.unsent", { count: unsent })}</p>}
        </SignInForm>
        <p class="govuk-body">
          <Link href="/forgot-password">{t("signIn.forgotLink")}</Link>
        </p>
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            {phone && (
              <>
                <PhoneSentence text="signIn.outOfHours" phone={phone} />
                <br />
              </>
            )}
            {t("signIn.emergency")}
          </strong>
        </div>
      </div>
    </div>
  );
}
