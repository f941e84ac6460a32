import { api, call, type components } from "../../api/client";
import { lang, t, type MessageKey } from "../../i18n";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";

type Page = components["schemas"]["PageSummary"];

const GROUPS: ReadonlyArray<[MessageKey, (p: Page) => boolean]> = [
  ["rights.now", (p) => p.applies === "now"],
  ["rights.soon", (p) => p.applies === "soon"],
  ["rights.other", (p) => p.applies !== "now" && p.applies !== "soon"],
];

/** Your rights: what applies now, soon, and the rest, in the chosen language. */
export function RightsList() {
  const code = lang.value;
  const list = useResource(`rights:${code}`, () => call(api.GET("/api/v1/local-offer", { params: { query: { lang: code } } })));
  return (
    <Screen title={t("rights.title")} resource={list}>
      {(l) =>
        l.items.length === 0 ? (
          <p class="govuk-body">{t("rights.empty")}</p>
        ) : (
          GROUPS.map(([heading, belongs]) => {
            const pages = l.items.filter(belongs);
            if (pages.length === 0) return null;
            return (
              <section key={heading}>
                <h2 class="govuk-heading-m">{t(heading)}</h2>
                <ul class="govuk-list app-rights">
                  {pages.map((p) => (
                    <li key={p.slug} lang={p.lang}>
                      <Link href={`/rights/${encodeURIComponent(p.slug)}`}>{p.title}</Link>
                      {p.responded === false && p.applies === "now" && <Tag colour="blue">{t("rights.new")}</Tag>}
                      <p class="govuk-body-s">{p.summary}</p>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })
        )
      }
    </Screen>
  );
}
