import { useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { LANGS, lang, setLanguage, t, type Lang } from "../../i18n";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { summaryItems } from "../../ui/problem";
import { savePreferences, type Preferences } from "./preferences";

/** The name the app calls them by (on their account, so their PA sees it too). */
export function NameForm({ prefs, onSaved }: { prefs: Preferences; onSaved: (p: Preferences) => void }) {
  const [name, setName] = useState(prefs.preferred_name ?? "");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const error = errors.find((e) => e.field === "preferred_name")?.text;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const updated = await savePreferences({ preferred_name: name.trim() || null });
      setErrors([]);
      setSaved(t("prefs.nameSaved", { name: updated.shown_name }));
      onSaved(updated);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setSaved(null);
      setErrors(summaryItems(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors} />
      <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
        <label class="govuk-label govuk-label--s" for="preferred_name">
          {t("prefs.name")}
        </label>
        <div id="preferred_name-hint" class="govuk-hint">
          {t("prefs.nameHint", { given: prefs.given_name })}
        </div>
        {error && (
          <p id="preferred_name-error" class="govuk-error-message">
            {error}
          </p>
        )}
        <input
          class={`govuk-input govuk-!-width-two-thirds${error ? " govuk-input--error" : ""}`}
          id="preferred_name"
          name="preferred_name"
          type="text"
          autoComplete="nickname"
          spellcheck={false}
          maxLength={60}
          dir="auto"
          aria-describedby={error ? "preferred_name-hint preferred_name-error" : "preferred_name-hint"}
          value={name}
          onInput={(e) => (setName(e.currentTarget.value), setSaved(null))}
        />
      </div>
      <p class="govuk-body app-status" role="status">
        {saved ?? ""}
      </p>
      <button type="submit" class="govuk-button govuk-button--secondary" disabled={busy}>
        {t("settings.save")}
      </button>
    </form>
  );
}

/** The app's language: changes every screen at once (right to left for Arabic and Pashto), and
 * the account's, so notifications and texts come in it too. Works offline on this phone. */
export function LanguageForm({ signedIn }: { signedIn: boolean }) {
  const [choice, setChoice] = useState<Lang>(lang.value);
  const [said, setSaid] = useState<"saved" | "offline" | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    await setLanguage(choice);
    if (!signedIn) return;
    try {
      await savePreferences({ preferred_language: choice });
      setSaid("saved");
    } catch {
      setSaid("offline");
    }
  };

  return (
    <form onSubmit={submit}>
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset" aria-describedby="language-hint">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{t("settings.language")}</legend>
          <div id="language-hint" class="govuk-hint">
            {t("settings.languageHint")}
          </div>
          <div class="govuk-radios">
            {LANGS.map((code) => (
              <div key={code} class="govuk-radios__item">
                <input
                  class="govuk-radios__input"
                  id={`lang-${code}`}
                  name="lang"
                  type="radio"
                  checked={choice === code}
                  onChange={() => (setChoice(code), setSaid(null))}
                />
                <label class="govuk-label govuk-radios__label" for={`lang-${code}`} lang={code} dir={code === "en" ? "ltr" : "rtl"}>
                  {t(`lang.${code}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <p class="govuk-body app-status" role="status">
        {said === "saved" ? t("prefs.languageSaved") : said === "offline" ? t("prefs.languageOffline") : ""}
      </p>
      <button type="submit" class="govuk-button govuk-button--secondary">
        {t("settings.save")}
      </button>
    </form>
  );
}
