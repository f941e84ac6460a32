import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { forgetEverything } from "../../offline/forget";
import { outbox } from "../../offline/outbox";
import { signedIn } from "../../ui/auth";
import { Link } from "../../ui/Link";
import { navigate } from "../../ui/router";
import { useResource } from "../../ui/useResource";
import { WarningText } from "../../ui/WarningText";
import { branding } from "../branding";
import { discreet, exitEverywhere, setDiscreet, setExitEverywhere } from "../preferences";
import { isSharedSession } from "../sharedSession";
import { LanguageForm, NameForm } from "./AboutYou";
import { Notifications } from "./Notifications";
import { lockNotice, PinLock } from "./PinLock";
import { loadPreferences, preferencesKey } from "./preferences";

function YesNo({ name, legend, hint, value, onChange }: { name: string; legend: string; hint: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="govuk-form-group">
      <fieldset class="govuk-fieldset" aria-describedby={`${name}-hint`}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <div id={`${name}-hint`} class="govuk-hint">
          {hint}
        </div>
        <div class="govuk-radios govuk-radios--small govuk-radios--inline">
          {([true, false] as const).map((v) => (
            <div key={String(v)} class="govuk-radios__item">
              <input class="govuk-radios__input" id={`${name}-${v ? "yes" : "no"}`} name={name} type="radio" checked={value === v} onChange={() => onChange(v)} />
              <label class="govuk-label govuk-radios__label" for={`${name}-${v ? "yes" : "no"}`}>
                {v ? t("settings.yes") : t("settings.no")}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** Discreet name and Exit this page everywhere: kept on this phone, they outlive sign-out. */
function SharedPhone() {
  const [hide, setHide] = useState(discreet.value);
  const [exit, setExit] = useState(exitEverywhere.value);
  const [saved, setSaved] = useState(false);
  const b = branding.value;
  const names = { discreet: b?.discreet_name ?? t("app.defaultName"), name: b?.name ?? t("app.defaultName") };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setDiscreet(hide);
        setExitEverywhere(exit);
        setSaved(true);
      }}
    >
      <h2 class="govuk-heading-m">{t("settings.sharedPhone")}</h2>
      <p class="govuk-body">{t("settings.sharedPhoneHint")}</p>
      <YesNo
        name="discreet"
        legend={t("settings.discreet")}
        hint={`${t("settings.discreetHint")} ${t("discreet.names", names)} ${t("discreet.icon")}`}
        value={hide}
        onChange={(v) => (setHide(v), setSaved(false))}
      />
      <YesNo name="exit" legend={t("settings.exitEverywhere")} hint={t("settings.exitEverywhereHint")} value={exit} onChange={(v) => (setExit(v), setSaved(false))} />
      <p class="govuk-body app-status" role="status">
        {saved ? t("settings.saved") : ""}
      </p>
      <button type="submit" class="govuk-button govuk-button--secondary">
        {t("settings.save")}
      </button>
    </form>
  );
}

/** Settings: name, language, notifications (GET/PATCH /users/me/preferences), shared-phone
 * choices and the PIN (kept on this phone), sign out (forgets it all). */
export function Settings() {
  const prefs = useResource(preferencesKey, loadPreferences);
  const [confirming, setConfirming] = useState(false);
  const unsent = outbox.value.length;
  useEffect(() => () => void (lockNotice.value = null), []);

  const leave = async () => {
    if (unsent > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    await forgetEverything();
    signedIn.value = "no";
    navigate("/", true);
  };

  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {t("settings.title")}
      </h1>
      {isSharedSession() && <div class="govuk-inset-text">{t("shared.now")}</div>}

      <h2 class="govuk-heading-m">{t("prefs.aboutYou")}</h2>
      {prefs.data ? (
        <NameForm key={prefs.data.preferred_name ?? ""} prefs={prefs.data} onSaved={prefs.replace} />
      ) : (
        <p class="govuk-body">{prefs.loading ? t("prefs.loading") : t("app.offlineFormDisabled")}</p>
      )}
      <LanguageForm signedIn={signedIn.value === "yes"} />

      <h2 class="govuk-heading-m">{t("notify.title")}</h2>
      {prefs.data ? <Notifications prefs={prefs.data} onSaved={prefs.replace} /> : <p class="govuk-body">{prefs.loading ? t("prefs.loading") : t("app.offlineFormDisabled")}</p>}

      <SharedPhone />
      <PinLock />

      <h2 class="govuk-heading-m">{t("records.title")}</h2>
      <p class="govuk-body">
        <Link href="/records">{t("settings.records")}</Link>
      </p>

      <h2 class="govuk-heading-m">{t("settings.signOut")}</h2>
      <p class="govuk-body">{t("settings.signOutHint")}</p>
      {confirming && <WarningText>{t("settings.unsentWarning", { count: unsent })}</WarningText>}
      <button type="button" class={`govuk-button${confirming ? " govuk-button--warning" : " govuk-button--secondary"}`} onClick={() => void leave()}>
        {confirming ? t("settings.signOutAnyway") : t("settings.signOut")}
      </button>
    </>
  );
}
