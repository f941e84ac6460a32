import { signal } from "@preact/signals";
import { t } from "../../i18n";
import { Link } from "../../ui/Link";
import { pinSet, removePin } from "../lock/pin";

/** What the PIN section says after a change, once (set on the PIN screen, or here). */
export const lockNotice = signal<"set" | "off" | null>(null);

/** The optional app PIN: on or off, set or change it, turn it off. */
export function PinLock() {
  const on = pinSet.value;
  const notice = lockNotice.value;
  return (
    <>
      <h2 class="govuk-heading-m">{t("lock.settingsTitle")}</h2>
      <p class="govuk-body">{t("lock.settingsHint")}</p>
      {notice === "set" ? (
        <div class="govuk-inset-text" role="status">
          {t("lock.setDone")}
        </div>
      ) : (
        <p class="govuk-body" role="status">
          <strong>{notice === "off" || !on ? t("lock.isOff") : t("lock.isOn")}</strong>
        </p>
      )}
      <div class="govuk-button-group">
        <Link href="/settings/pin" class="govuk-button govuk-button--secondary">
          {on ? t("lock.changeButton") : t("lock.setButton")}
        </Link>
        {on && (
          <button type="button" class="govuk-button govuk-button--secondary" onClick={() => void removePin().then(() => (lockNotice.value = "off"))}>
            {t("lock.offButton")}
          </button>
        )}
      </div>
    </>
  );
}
