import type { components } from "../../api/client";
import { t, worded } from "../../i18n";
import { ActionList } from "./ActionList";
import { SectionAnswer } from "./SectionAnswer";

type Version = components["schemas"]["VersionRead"];
type Section = components["schemas"]["SectionRead"];
type SectionCode = NonNullable<components["schemas"]["ResponseIn"]["section_code"]>;

/** One of the plan's sections, folded (details), with its actions and the young person's answer. */
export function PlanSection({ version, section, answerable, onAnswered }: { version: Version; section: Section; answerable: boolean; onAnswered: () => void }) {
  const title = worded(`plan.section.${section.code}`, section.title);
  const actions = version.actions.filter((a) => a.section_code === section.code);
  const parts = [
    ["plan.needs", section.needs],
    ["plan.views", section.young_person_views],
    ["plan.goals", section.goals],
  ] as const;
  return (
    <details class="govuk-details app-plan-section">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text" lang={title.lang}>
          {title.text}
        </span>
      </summary>
      <div class="govuk-details__text">
        {parts.map(([label, text]) =>
          text ? (
            <div key={label}>
              <h3 class="govuk-heading-s">{t(label)}</h3>
              <p class="govuk-body app-prewrap" dir="auto">
                {text}
              </p>
            </div>
          ) : null,
        )}
        {actions.length > 0 && (
          <>
            <h3 class="govuk-heading-s">{t("plan.actions")}</h3>
            <ActionList actions={actions} />
          </>
        )}
        {answerable && <SectionAnswer version={version.number} section={section.code as SectionCode} onAnswered={onAnswered} />}
      </div>
    </details>
  );
}
