import { LANGS, lang, setLanguage, t, type Lang } from "../i18n";

/** govuk-frontend's Language navigation, each name in its own language (`lang` per element). */
export function LanguageNavigation() {
  const choose = (code: Lang) => (event: MouseEvent) => {
    event.preventDefault();
    void setLanguage(code);
  };
  return (
    <nav class="govuk-language-navigation" aria-label={t("app.languages")}>
      <ul class="govuk-language-navigation__list">
        {LANGS.map((code) => (
          <li key={code} class="govuk-language-navigation__list-item">
            {code === lang.value ? (
              <span class="govuk-language-navigation__text" lang={code} dir={code === "en" ? "ltr" : "rtl"} aria-current="true">
                {t(`lang.${code}`)}
              </span>
            ) : (
              <a class="govuk-language-navigation__link" href={`?lang=${code}`} lang={code} dir={code === "en" ? "ltr" : "rtl"} hreflang={code} onClick={choose(code)}>
                {t(`lang.${code}`)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
