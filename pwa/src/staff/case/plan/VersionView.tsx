import { st, stKey } from "../../../i18n/staff.en";
import { Tag } from "../../../ui/Tag";
import { formatDate } from "../../format";
import type { components } from "../../../api/client";

type Version = components["schemas"]["VersionRead"];
type Action = components["schemas"]["ActionRead"];

/** A version as it reads (agreed, or waiting for a manager): sections folded, actions in a table. */
export function VersionView({ version, heading }: { version: Version; heading: string }) {
  return (
    <section class="govuk-!-margin-bottom-8">
      <h3 class="govuk-heading-m">
        {heading} <Tag colour={version.state === "agreed" ? "green" : "blue"}>{st(stKey("plan.state", version.state))}</Tag>
      </h3>
      <dl class="govuk-summary-list">
        {version.agreed_on && (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{st("plan.agreedOn")}</dt>
            <dd class="govuk-summary-list__value">{formatDate(version.agreed_on)}</dd>
          </div>
        )}
        {version.next_review_due_on && (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{st("plan.nextReview")}</dt>
            <dd class="govuk-summary-list__value">{formatDate(version.next_review_due_on)}</dd>
          </div>
        )}
      </dl>
      {version.sections.map((section) => {
        const actions = version.actions.filter((a) => a.section_code === section.code);
        return (
          <details class="govuk-details staff-plan-section" key={section.code}>
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">
                {section.title} ({actions.length})
              </span>
            </summary>
            <div class="govuk-details__text">
              <dl class="govuk-summary-list govuk-summary-list--no-border">
                <Text label={st("plan.needs")} value={section.needs} />
                <Text label={st("plan.goals")} value={section.goals} />
                <Text label={st("plan.views")} value={section.young_person_views} />
              </dl>
              {actions.length === 0 ? <p class="govuk-body">{st("plan.noActions")}</p> : <Actions actions={actions} />}
            </div>
          </details>
        );
      })}
    </section>
  );
}

function Text({ label, value }: { label: string; value: string }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{label}</dt>
      <dd class="govuk-summary-list__value app-prewrap">{value || "–"}</dd>
    </div>
  );
}

function Actions({ actions }: { actions: Action[] }) {
  return (
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--s">{st("plan.actions")}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">
            {st("plan.col.action")}
          </th>
          <th scope="col" class="govuk-table__header">
            {st("plan.col.owner")}
          </th>
          <th scope="col" class="govuk-table__header">
            {st("plan.col.due")}
          </th>
          <th scope="col" class="govuk-table__header">
            {st("plan.col.status")}
          </th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {actions.map((a) => (
          <tr class="govuk-table__row" key={a.id}>
            <td class="govuk-table__cell">{a.description}</td>
            <td class="govuk-table__cell">{a.owner_name ?? a.owner_label ?? ""}</td>
            <td class="govuk-table__cell">{a.due_on ? formatDate(a.due_on) : ""}</td>
            <td class="govuk-table__cell">
              {st(stKey("plan.action", a.status))}
              {a.overdue && (
                <>
                  {" "}
                  <Tag colour="red">{st("caseload.overdue")}</Tag>
                </>
              )}
              {a.missing.length > 0 && (
                <>
                  {" "}
                  <Tag colour="orange">{st("plan.incomplete")}</Tag>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
