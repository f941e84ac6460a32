import { t } from "../../i18n";
import { Link } from "../../ui/Link";
import { raised } from "./report";
import { ReachNow } from "./ReachNow";

/** Sent: what happens next in the young person's language; urgent shows who to call now. */
export function ReportSent() {
  const r = raised.value;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation app-panel--small">
          <h1 class="govuk-panel__title" tabIndex={-1}>
            {t("concern.sentTitle")}
          </h1>
        </div>
        {r && <p class="govuk-body">{t(`concern.next.${r.urgency}`)}</p>}
        {r?.urgency === "urgent" && <ReachNow reach={r.reach_now} emergency={r.emergency_phone} />}
        <p class="govuk-body">{t("concern.sentMessages")}</p>
        <p class="govuk-body">
          <Link href="/where-i-live">{t("concern.backToPlace")}</Link>
        </p>
      </div>
    </div>
  );
}
