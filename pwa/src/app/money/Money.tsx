import { api, call } from "../../api/client";
import { formatMoney, lang, t, worded } from "../../i18n";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";

// The language in Accept-Language, not the URL: the offline copy serves every language.
const loadMoney = () => call(api.GET("/api/v1/young-people/{yp}/entitlements", { params: { path: { yp: "me" }, header: { "accept-language": lang.value } } }));

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
                <h2 class="govuk-summary-card__title" lang={e.title_lang}>
                  {e.title}
                </h2>
                <Tag colour={e.status === "received" ? "green" : "grey"}>{t(`money.status.${e.status}`)}</Tag>
              </div>
              <div class="govuk-summary-card__content">
                {e.title_lang !== lang.value && <p class="govuk-hint">{t("money.titleEnglish")}</p>}
                <p class="govuk-body">
                  {worded(`money.line.${e.message_code}`, e.message, { paid: formatMoney(e.paid_gbp), amount: e.amount_gbp ? formatMoney(e.amount_gbp) : "" }).text}
                </p>
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
