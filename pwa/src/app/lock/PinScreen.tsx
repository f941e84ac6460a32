import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { forgetEverything } from "../../offline/forget";
import { signedIn } from "../../ui/auth";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { navigate } from "../../ui/router";
import { checkPin, isPin, MAX_TRIES, wrongTries } from "./pin";
import { PinInput } from "./PinInput";
import { signedOutBy } from "./signedOut";

/** Sign out and forget everything: five wrong PINs, or "I forgot my PIN". */
async function signOutHere(why: "pin" | "forgot"): Promise<void> {
  await forgetEverything();
  signedOutBy.value = why;
  signedIn.value = "no";
  navigate("/", true);
}

/** The PIN screen: shown instead of every other screen until the right PIN is entered. */
export function PinScreen() {
  const [pin, setPin] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [left, setLeft] = useState(MAX_TRIES);

  useEffect(() => {
    void wrongTries().then((wrong) => setLeft(MAX_TRIES - wrong));
    document.querySelector<HTMLElement>("main h1")?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!isPin(pin)) {
      setErrors([{ field: "pin", text: t("lock.enterPin") }]);
      return;
    }
    setBusy(true);
    try {
      const result = await checkPin(pin);
      if (result.ok) return; // the app shows what was behind the lock
      setPin("");
      setLeft(result.triesLeft);
      if (result.triesLeft === 0) await signOutHere("pin");
      else setErrors([{ field: "pin", text: t("lock.wrong", { count: result.triesLeft }) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <form onSubmit={submit} noValidate>
          <ErrorSummary items={errors} />
          <h1 class="govuk-heading-l" tabIndex={-1}>
            {t("lock.title")}
          </h1>
          <PinInput
            id="pin"
            label={t("lock.label")}
            hint={left < MAX_TRIES ? t("lock.triesLeft", { count: left }) : t("lock.hint")}
            value={pin}
            error={errors.find((e) => e.field === "pin")?.text}
            autoFocus
            onInput={setPin}
          />
          <button type="submit" class="govuk-button" disabled={busy}>
            {t("lock.unlock")}
          </button>
        </form>
        <h2 class="govuk-heading-m">{t("lock.forgotTitle")}</h2>
        <p class="govuk-body">{t("lock.forgotHint")}</p>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={() => void signOutHere("forgot")}>
          {t("lock.forgotButton")}
        </button>
      </div>
    </div>
  );
}
