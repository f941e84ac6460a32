import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { navigate } from "../../ui/router";
import { isPin, setPin } from "../lock/pin";
import { PinInput } from "../lock/PinInput";
import { lockNotice } from "./PinLock";

/** Choose a PIN (twice, so a slip of the finger does not lock them out). It stays on the phone. */
export function SetPin() {
  const [first, setFirst] = useState("");
  const [second, setSecond] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.text;

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: SummaryItem[] = [];
    if (!isPin(first)) found.push({ field: "new-pin", text: t("lock.badPin") });
    else if (second !== first) found.push({ field: "confirm-pin", text: t("lock.mismatch") });
    setErrors(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await setPin(first);
      lockNotice.value = "set";
      navigate("/settings");
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
            {t("lock.setTitle")}
          </h1>
          <p class="govuk-body">{t("lock.settingsHint")}</p>
          <PinInput id="new-pin" label={t("lock.newPin")} hint={t("lock.newPinHint")} autocomplete="new-password" value={first} error={errorFor("new-pin")} onInput={setFirst} />
          <PinInput id="confirm-pin" label={t("lock.confirmPin")} autocomplete="new-password" value={second} error={errorFor("confirm-pin")} onInput={setSecond} />
          <button type="submit" class="govuk-button" disabled={busy}>
            {t("lock.save")}
          </button>
        </form>
      </div>
    </div>
  );
}
