import { api, call, type components } from "../../api/client";
import { days, st, stKey } from "../../i18n/staff.en";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { Section } from "./Section";

type Version = components["schemas"]["VersionRead"];
type Action = components["schemas"]["ActionRead"];

/** The pathway plan, read-only for now: the agreed version and the one being worked on. */
export function PlanTab({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:plan`, () =>
    call(api.GET("/api/v1/young-people/{yp}/plan", { params: { path: { yp: id } } })),
  );
  return (
    <Section title={st("plan.title")} resource={resource}>
      {(plan) => (
        <>
          <p class="govuk-inset-text">{st("plan.readOnly")}</p>
          {plan.review_overdue_days > 0 && (
            <p class="govuk-body">
              <Tag colour="red">{st("plan.overdue", { days: days(plan.review_overdue_days) })}</Tag>
            </p>
          )}
          {plan.open_review_requests.length > 0 && (
            <>
              <h3 class="govuk-heading-m">{st("plan.reviewRequests")}</h3>
              <ul class="govuk-list govuk-list--bullet">
                {plan.open_review_requests.map((r) => (
                  <li key={r.id}>
                    {st("myDay.reviews.item", {
                      who: r.requested_by_role.replace("_", " "),
                      requested: formatDate(r.requested_on),
                      reason: r.reason,
                      due: formatDate(r.due_on),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
          {plan.current === null && plan.in_progress === null && (
            <p class="govuk-body">
              {plan.first_plan_due_on ? st("plan.none", { date: formatDate(plan.first_plan_due_on) }) : st("plan.noneNoDate")}
            </p>
          )}
          {plan.in_progress && <VersionView version={plan.in_progress} heading={st("plan.inProgress", { n: plan.in_progress.number })} />}
          {plan.current && <VersionView version={plan.current} heading={st("plan.current", { n: plan.current.number })} />}
        </>
      )}
    </Section>
  );
}

function VersionView({ version, heading }: { version: Version; heading: string }) {
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
