import { useState } from "preact/hooks";
import { signOut } from "../../api/session";
import { forgetLanguage, LANGS, lang, setLanguage, t, type Lang } from "../../i18n";
import { clearOutbox, outbox } from "../../offline/outbox";
import { clearCaches } from "../../offline/register";
import { signedIn } from "../../ui/auth";
import { navigate } from "../../ui/router";
import { forgetResources } from "../../ui/useResource";

/** Settings: language (kept on this phone) and sign out, which clears what the app kept. */
export function Settings() {
  const [choice, setChoice] = useState<Lang>(lang.value);
  const [confirming, setConfirming] = useState(false);
  const unsent = outbox.value.length;

  const leave = async () => {
    if (unsent > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    try {
      await signOut();
    } catch {
      // Offline: the session ends on the server when it expires; this phone forgets it now.
    }
    await clearOutbox();
    await clearCaches();
    forgetResources();
    forgetLanguage();
    signedIn.value = "no";
    navigate("/", true);
  };

  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {t("settings.title")}
      </h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void setLanguage(choice);
        }}
      >
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset" aria-describedby="language-hint">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{t("settings.language")}</legend>
            <div id="language-hint" class="govuk-hint">
              {t("settings.languageHint")}
            </div>
            <div class="govuk-radios">
              {LANGS.map((code) => (
                <div key={code} class="govuk-radios__item">
                  <input class="govuk-radios__input" id={`lang-${code}`} name="lang" type="radio" checked={choice === code} onChange={() => setChoice(code)} />
                  <label class="govuk-label govuk-radios__label" for={`lang-${code}`} lang={code}>
                    {t(`lang.${code}`)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button type="submit" class="govuk-button govuk-button--secondary">
          {t("settings.save")}
        </button>
      </form>

      <h2 class="govuk-heading-m">{t("settings.signOut")}</h2>
      <p class="govuk-body">{t("settings.signOutHint")}</p>
      {confirming && (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">{t("settings.unsentWarning", { count: unsent })}</strong>
        </div>
      )}
      <button type="button" class={`govuk-button${confirming ? " govuk-button--warning" : " govuk-button--secondary"}`} onClick={() => void leave()}>
        {confirming ? t("settings.signOutAnyway") : t("settings.signOut")}
      </button>
    </>
  );
}
