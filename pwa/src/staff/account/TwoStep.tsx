import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { errorFor, Saved, saveErrors } from "../admin/fields";
import { QrCode } from "./QrCode";

type Enrolment = components["schemas"]["MfaEnrolment"];

/** "JBSW Y3DP EHPK 3PXP": the secret in fours, easier to type into an app by hand. */
const grouped = (secret: string): string => secret.replace(/(.{4})/g, "$1 ").trim();

/**
 * Two-step sign-in: start (a new secret, shown as a QR code and as text), then confirm with the
 * first code the app shows. Once it is on, only an administrator can reset it.
 */
export function TwoStep({ enabled, onEnabled }: { enabled: boolean; onEnabled: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const start = async () => {
    if (busy) return;
    setBusy(true);
    setErrors([]);
    try {
      setEnrolment((await call(api.POST("/api/v1/users/me/mfa"))).data);
      setCode("");
    } catch (e) {
      setErrors(saveErrors(e, "mfa-"));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!code.trim()) {
      setErrors([{ field: "mfa-code", text: st("account.mfa.missingCode") }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await call(api.POST("/api/v1/users/me/mfa/confirm", { body: { code: code.trim() } }));
      setEnrolment(null);
      setDone(true);
      onEnabled();
    } catch (e) {
      setErrors(saveErrors(e, "mfa-"));
    } finally {
      setBusy(false);
    }
  };

  const codeError = errorFor(errors, "mfa-code");
  return (
    <section aria-labelledby="mfa-title">
      <h2 class="govuk-heading-m" id="mfa-title">
        {st("account.mfa.title")}
      </h2>
      <ErrorSummary items={errors} />
      <Saved text={done ? st("account.mfa.done") : null} />
      {enabled && !enrolment ? (
        <p class="govuk-body">{st("account.mfa.on")}</p>
      ) : !enrolment ? (
        <>
          <p class="govuk-body">{st("account.mfa.off")}</p>
          <button type="button" class="govuk-button" disabled={busy} onClick={() => void start()}>
            {st("account.mfa.start")}
          </button>
        </>
      ) : (
        <form onSubmit={(e) => void confirm(e)} noValidate>
          <ol class="govuk-list govuk-list--number">
            <li>{st("account.mfa.step1")}</li>
            <li>{st("account.mfa.step2")}</li>
          </ol>
          <QrCode text={enrolment.otpauth_uri} label={st("account.mfa.qr")} />
          <p class="govuk-body">{st("account.mfa.cannotScan")}</p>
          <p class="govuk-body">
            <code class="staff-secret" id="mfa-secret" dir="ltr">
              {grouped(enrolment.secret)}
            </code>
          </p>
          <div class={`govuk-form-group${codeError ? " govuk-form-group--error" : ""}`}>
            <label class="govuk-label govuk-label--s" for="mfa-code">
              {st("account.mfa.code")}
            </label>
            <div class="govuk-hint" id="mfa-code-hint">
              {st("account.mfa.codeHint")}
            </div>
            {codeError && (
              <p class="govuk-error-message" id="mfa-code-error">
                {codeError}
              </p>
            )}
            <input
              class={`govuk-input govuk-input--width-10${codeError ? " govuk-input--error" : ""}`}
              id="mfa-code"
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              spellcheck={false}
              dir="ltr"
              aria-describedby={`mfa-code-hint${codeError ? " mfa-code-error" : ""}`}
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="govuk-button" disabled={busy}>
            {st("account.mfa.confirm")}
          </button>
        </form>
      )}
    </section>
  );
}
