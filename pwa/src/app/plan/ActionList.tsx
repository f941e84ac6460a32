import type { components } from "../../api/client";
import { formatDate, t } from "../../i18n";
import { Tag } from "../../ui/Tag";

type Action = components["schemas"]["ActionRead"];
const STATUS_COLOUR = { not_started: "grey", in_progress: "blue", done: "green", dropped: "orange" } as const;

/** A section's actions: what, who, by when, status (summary lists, one per action). */
export function ActionList({ actions }: { actions: readonly Action[] }) {
  return (
    <>
      {actions.map((a) => (
        <div key={a.id} class="govuk-summary-card">
          <div class="govuk-summary-card__title-wrapper">
            <h4 class="govuk-summary-card__title" dir="auto">
              {a.description}
            </h4>
          </div>
          <div class="govuk-summary-card__content">
            <dl class="govuk-summary-list">
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">{t("plan.action.who")}</dt>
                <dd class="govuk-summary-list__value">{a.owner_name ?? (a.owner ? t(`plan.owner.${a.owner}`) : "")}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">{t("plan.action.when")}</dt>
                <dd class="govuk-summary-list__value">{a.due_on ? formatDate(a.due_on) : t("plan.action.noDate")}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">{t("plan.action.status")}</dt>
                <dd class="govuk-summary-list__value">
                  <Tag colour={a.overdue && a.status !== "done" ? "red" : STATUS_COLOUR[a.status]}>
                    {a.overdue && a.status !== "done" ? t("documents.overdue") : t(`plan.status.${a.status}`)}
                  </Tag>
                </dd>
              </div>
            </dl>
          </div>
        </div>
      ))}
    </>
  );
}
