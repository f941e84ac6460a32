import { api, call } from "../../api/client";
import { formatDate, t, worded } from "../../i18n";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { ConcernList } from "./ConcernList";
import { stepPath } from "./report";
import { Satisfaction, ratingKey } from "./Satisfaction";

const path = { yp: "me" };
const loadPlace = () => call(api.GET("/api/v1/young-people/{yp}/accommodation", { params: { path } }));

/** The kind of place from its SSDA903 code's letter ("U1": independent living), in our words. */
const kind = (code: string, english: string): string => worded(`place.kind.${code.slice(0, 1)}`, english).text;

/** Where I live: the place, how happy they are with it when due, problems raised, report one. */
export function WhereILive() {
  const place = useResource("accommodation", loadPlace);
  return (
    <Screen title={t("place.title")} resource={place}>
      {(a) => (
        <>
          {a.current ? (
            <dl class="govuk-summary-list">
              {(
                [
                  ["place.place", a.current.scheme_name ?? kind(a.current.code, a.current.accommodation_type_name)],
                  ["place.type", a.current.scheme_name ? kind(a.current.code, a.current.accommodation_type_name) : null],
                  ["place.provider", a.current.provider_name],
                  ["place.address", a.current.address],
                  ["place.since", formatDate(a.current.since)],
                ] as const
              ).map(([key, value]) =>
                value ? (
                  <div key={key} class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{t(key)}</dt>
                    <dd class="govuk-summary-list__value">
                      <bdi>{value}</bdi>
                    </dd>
                  </div>
                ) : null,
              )}
            </dl>
          ) : (
            <p class="govuk-body">{t("place.noPlace")}</p>
          )}
          {a.satisfaction_due ? (
            <Satisfaction onSent={place.reload} />
          ) : (
            a.last_satisfaction && (
              <p class="govuk-body">
                {t("place.lastSaid", { answer: t(ratingKey(a.last_satisfaction.rating)), date: formatDate(a.last_satisfaction.created_at.slice(0, 10)) })}
              </p>
            )
          )}
          <h2 class="govuk-heading-m">{t("concern.listTitle")}</h2>
          <Link href={stepPath("what")} class="govuk-button app-button--large">
            {t("concern.report")}
          </Link>
          <ConcernList />
        </>
      )}
    </Screen>
  );
}
