import { st } from "../../i18n/staff.en";
import { SignInForm } from "../../ui/SignInForm";

/** Staff sign in: the shared form, asking for the authenticator code when the API says so. */
export function StaffSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-one-half">
        <SignInForm allowOtp otpLabel={st("staff.otp")} onSignedIn={onSignedIn} />
      </div>
    </div>
  );
}
