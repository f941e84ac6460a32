import { api, call } from "../../api/client";
import { formatMoney, t } from "../../i18n";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";

const loadMoney = () => call(api.GET("/api/v1/young-people/{yp}/entitlements", { params: { path: { yp: "me" } } }));

/** Money you get: per entitlement, its status, what was paid and what is left. */
export function Money() {
  const money = useResource("money", loadMoney);
  return (
    <Screen title={t("money.title")} resource={money}>
      {(items) =>
        items.length === 0 ? (
          <p class="govuk-body">{t("money.empty")}</p>
        ) : (
          items.map((e) => (
            <div key={e.slug} class="govuk-summary-card">
              <div class="govuk-summary-card__title-wrapper">
                <h2 class="govuk-summary-card__title">{e.title}</h2>
                <Tag colour={e.status === "received" ? "green" : "grey"}>{t(`money.status.${e.status}`)}</Tag>
              </div>
              <div class="govuk-summary-card__content">
                <dl class="govuk-summary-list">
                  <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{t("money.paid")}</dt>
                    <dd class="govuk-summary-list__value">{formatMoney(e.paid_gbp)}</dd>
                  </div>
                  {e.remaining_gbp !== null && (
                    <div class="govuk-summary-list__row">
                      <dt class="govuk-summary-list__key">{t("money.left")}</dt>
                      <dd class="govuk-summary-list__value">{formatMoney(e.remaining_gbp)}</dd>
                    </div>
                  )}
                </dl>
              </div>
            </div>
          ))
        )
      }
    </Screen>
  );
}
