import { useState } from "preact/hooks";
import { api, call } from "../../../api/client";
import { st, stKey } from "../../../i18n/staff.en";
import { useResource } from "../../../ui/useResource";
import { formatDate } from "../../format";
import { Section } from "../Section";

/**
 * Every version, newest first. Loaded only when opened: reading the list is a line in the young
 * person's access log, and most visits to the plan do not need it.
 */
export function PlanHistory({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="govuk-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{st("history.title")}</span>
      </summary>
      <div class="govuk-details__text">{open && <Versions id={id} />}</div>
    </details>
  );
}

function Versions({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:plan-versions`, () =>
    call(api.GET("/api/v1/young-people/{yp}/plan/versions", { params: { path: { yp: id } } })),
  );
  return (
    <Section title={st("history.title")} resource={resource} level={3}>
      {(versions) =>
        versions.length === 0 ? (
          <p class="govuk-body">{st("history.none")}</p>
        ) : (
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">{st("history.title")}</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                {(["history.col.version", "history.col.state", "history.col.started", "history.col.agreed", "history.col.copy"] as const).map((k) => (
                  <th scope="col" class="govuk-table__header" key={k}>
                    {st(k)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {versions.map((v) => (
                <tr class="govuk-table__row" key={v.number}>
                  <td class="govuk-table__cell">
                    {v.number}
                    {v.source === "imported" ? ` ${st("history.imported")}` : ""}
                  </td>
                  <td class="govuk-table__cell">{st(stKey("plan.state", v.state))}</td>
                  <td class="govuk-table__cell">{formatDate(v.created_at)}</td>
                  <td class="govuk-table__cell">{v.agreed_on ? st("history.agreedBy", { on: formatDate(v.agreed_on) }) : "–"}</td>
                  <td class="govuk-table__cell">{v.first_received_on ? formatDate(v.first_received_on) : st("history.noCopy")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Section>
  );
}
