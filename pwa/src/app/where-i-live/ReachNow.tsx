import type { components } from "../../api/client";
import { t } from "../../i18n";
import { PhoneSentence } from "../../ui/PhoneSentence";
import { WarningText } from "../../ui/WarningText";

type Reach = components["schemas"]["ReachNow"];

/** Not safe now: who answers now and their number, the out-of-hours number, and 999. */
export function ReachNow({ reach, emergency }: { reach: Reach | null; emergency: string | null }) {
  return (
    <div class="app-reach-now">
      <WarningText>{t("help.emergency")}</WarningText>
      <p class="govuk-body">
        <a class="govuk-button govuk-button--warning app-button--call" href="tel:999">
          {t("help.emergencyCall")}
        </a>
      </p>
      {reach?.phone && (
        <p class="govuk-body">
          {t(`help.who.${reach.who}`)}
          {reach.name && (
            <>
              {": "}
              <bdi>{reach.name}</bdi>
            </>
          )}
          <br />
          <PhoneSentence text="help.call" phone={reach.phone} />
        </p>
      )}
      {emergency && emergency !== reach?.phone && (
        <p class="govuk-body">
          <PhoneSentence text="signIn.outOfHours" phone={emergency} />
        </p>
      )}
    </div>
  );
}
