import { t, tAround } from "../../i18n";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { branding } from "../branding";
import { loadSummary, summaryKey } from "../summary";

function Call({ phone }: { phone: string }) {
  return (
    <a class="govuk-button app-button--call" href={`tel:${phone.replace(/\s+/g, "")}`}>
      {tAround("help.call", "phone")[0]}
      <span dir="ltr">{phone}</span>
      {tAround("help.call", "phone")[1]}
    </a>
  );
}

/**
 * Get help now: who answers now, the PA, the out-of-hours number and 999. Works offline from the
 * last summary; 999 shows whatever else fails.
 */
export function GetHelp() {
  const summary = useResource(summaryKey, loadSummary);
  const outOfHours = summary.data?.organisation.out_of_hours_phone ?? branding.value?.out_of_hours_phone ?? null;
  return (
    <>
      <Screen
        title={t("help.title")}
        resource={summary}
        lead={
          <>
            <div class="govuk-warning-text">
              <span class="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong class="govuk-warning-text__text">{t("help.emergency")}</strong>
            </div>
            <a class="govuk-button govuk-button--warning app-button--call" href="tel:999">
              {t("help.emergencyCall")}
            </a>
          </>
        }
      >
        {(s) => (
          <>
            <h2 class="govuk-heading-m">{t("help.whoNow")}</h2>
            <p class="govuk-body">
              {t(`help.who.${s.reach_now.who}`)}
              {s.reach_now.name && (
                <>
                  {": "}
                  <bdi>{s.reach_now.name}</bdi>
                </>
              )}
            </p>
            {s.reach_now.phone && <Call phone={s.reach_now.phone} />}
            {s.personal_adviser && (
              <>
                <h2 class="govuk-heading-m">{t("help.yourPa")}</h2>
                <p class="govuk-body">
                  <bdi>{s.personal_adviser.name}</bdi>
                </p>
                {s.personal_adviser.phone && <Call phone={s.personal_adviser.phone} />}
              </>
            )}
            <p class="govuk-body">
              <Link href="/messages">{t("help.sendMessage")}</Link>
            </p>
          </>
        )}
      </Screen>
      {outOfHours ? (
        <>
          <h2 class="govuk-heading-m">{t("help.outOfHours")}</h2>
          <Call phone={outOfHours} />
        </>
      ) : (
        summary.data === undefined && <p class="govuk-body">{t("help.noNumber")}</p>
      )}
    </>
  );
}
