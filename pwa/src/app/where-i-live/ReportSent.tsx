import { t } from "../../i18n";
import { Link } from "../../ui/Link";
import { useResource } from "../../ui/useResource";
import { loadSummary, summaryKey } from "../summary";
import { raised } from "./report";
import { ReachNow } from "./ReachNow";

/** Sent: what happens next in the young person's language; urgent shows who to call now. */
export function ReportSent() {
  const r = raised.value;
  // The send's answer says who to call now; the last summary fills any number it left out.
  const summary = useResource(summaryKey, loadSummary).data;
  const reach = r?.reach_now?.phone ? r.reach_now : (summary?.reach_now ?? r?.reach_now ?? null);
  const emergency = r?.emergency_phone ?? summary?.reach_now.emergency_phone ?? summary?.organisation.out_of_hours_phone ?? null;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation app-panel--small">
          <h1 class="govuk-panel__title" tabIndex={-1}>
            {t("concern.sentTitle")}
          </h1>
        </div>
        {r && <p class="govuk-body">{t(`concern.next.${r.urgency}`)}</p>}
        {r?.urgency === "urgent" && <ReachNow reach={reach} emergency={emergency} />}
        <p class="govuk-body">{t("concern.sentMessages")}</p>
        <p class="govuk-body">
          <Link href="/where-i-live">{t("concern.backToPlace")}</Link>
        </p>
      </div>
    </div>
  );
}
