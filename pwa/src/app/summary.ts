/** The home summary, shared by Home and Get help now (which must work offline from it). */
import { api, call } from "../api/client";
import { takeEarly } from "../api/early";
import { followRecordedLanguage, lang, type Lang } from "../i18n";

// One key and one URL in every language: Get help now must work offline from the last summary
// whatever the language is now, so the language goes in Accept-Language (the service worker
// keeps one copy per URL), and what the summary words itself (rights titles) says its language.
export const summaryKey = "summary";
export const loadSummary = async (language: Lang = lang.value) => {
  const result = await call(
    api.GET("/api/v1/young-people/{yp}/summary", {
      params: { path: { yp: "me" }, header: { "accept-language": language } },
      fetch: takeEarly("summary", language),
    }),
  );
  followRecordedLanguage(result.data.preferred_language);
  return result;
};
