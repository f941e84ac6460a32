import { useEffect } from "preact/hooks";
import { api, call } from "../../api/client";
import { formatDate, formatMoney, lang, t } from "../../i18n";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { RightsResponse } from "./RightsResponse";

/** One rights page: summary, body, how to get it, when checked, source, and an answer. */
export function RightsPage({ slug }: { slug: string }) {
  const code = lang.value;
  const page = useResource(`right:${slug}:${code}`, () =>
    call(api.GET("/api/v1/local-offer/{slug}", { params: { path: { slug }, query: { lang: code } } })),
  );
  // Fetching (or the service worker refreshing) the page records nothing: it counts as seen
  // only when it is on screen, once per opening. Offline it fails quietly; the next opening tries.
  const shownSlug = page.data?.slug ?? null;
  useEffect(() => {
    if (shownSlug === null) return;
    void call(api.POST("/api/v1/local-offer/{slug}/views", { params: { path: { slug: shownSlug }, query: { lang: code } } })).catch(() => undefined);
    // The language switching on the same page is not a second opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownSlug]);
  return (
    <>
      <Link href="/rights" class="govuk-back-link">
        {t("app.back")}
      </Link>
      <Screen title={page.data?.title ?? t("rights.title")} resource={page}>
        {(p) => (
          <div lang={p.lang} dir={p.lang === "en" ? "ltr" : "auto"}>
            {p.lang !== code && (
              <p class="govuk-inset-text" lang={code}>
                {t("rights.untranslated")}
              </p>
            )}
            <p class="govuk-body-l">{p.summary}</p>
            {p.amount_gbp && <p class="govuk-body">{t("rights.amount", { amount: formatMoney(p.amount_gbp) })}</p>}
            {/* Rendered by the API from the council's reviewed Markdown; the CSP blocks any script. */}
            <div class="govuk-body app-content" dangerouslySetInnerHTML={{ __html: p.html }} />
            {p.how_to_get_it && (
              <>
                <h2 class="govuk-heading-m" lang={code}>
                  {t("rights.how")}
                </h2>
                <p class="govuk-body">{p.how_to_get_it}</p>
              </>
            )}
            <p class="govuk-body-s" lang={code}>
              {t("rights.checked", { date: formatDate(p.reviewed_on) })}
              <br />
              {t("rights.source", { source: p.source })}
            </p>
            <RightsResponse slug={p.slug} answered={p.responded === true} />
          </div>
        )}
      </Screen>
    </>
  );
}
