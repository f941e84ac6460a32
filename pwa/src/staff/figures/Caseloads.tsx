import type { components } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { Tag } from "../../ui/Tag";
import { figuresHref } from "./state";

type Row = components["schemas"]["CaseloadRow"];

/** Young people per PA against the council's maximum; "over" is said in words, not colour. */
export function Caseloads({ rows, max }: { rows: Row[]; max: number | null }) {
  const over = max === null ? 0 : rows.filter((r) => r.adviser_id !== null && r.count > max).length;
  return (
    <section class="govuk-summary-card" aria-labelledby="measure-caseload-heading">
      <div class="govuk-summary-card__title-wrapper">
        <h3 class="govuk-summary-card__title" id="measure-caseload-heading">
          {st("measure.caseload")}
        </h3>
        <ul class="govuk-summary-card__actions">
          <li class="govuk-summary-card__action">
            <Link href={figuresHref("/staff/figures/caseload")}>
              {st("figure.names")}
              <span class="govuk-visually-hidden"> {st("figure.namesFor", { title: st("measure.caseload") })}</span>
            </Link>
          </li>
        </ul>
      </div>
      <div class="govuk-summary-card__content">
        <p class="govuk-body" data-figure="caseload">
          {max === null ? st("caseloads.noMax") : st("caseloads.max", { max })}{" "}
          {max !== null && (over === 0 ? st("caseloads.noneOver") : st("caseloads.over", { count: over }))}
        </p>
        {rows.length === 0 ? (
          <p class="govuk-body">{st("figure.nobody")}</p>
        ) : (
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">{st("measure.caseload")}</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">
                  {st("caseloads.adviser")}
                </th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                  {st("caseloads.count")}
                </th>
                <th scope="col" class="govuk-table__header">
                  {st("caseloads.against")}
                </th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {rows.map((r) => (
                <tr key={r.adviser_id ?? "none"} class="govuk-table__row">
                  <th scope="row" class="govuk-table__header">
                    <Link href={figuresHref(r.adviser_id === null ? "/staff/figures/pa_allocated" : `/staff/figures/caseload/${r.adviser_id}`)}>
                      {r.adviser_id === null ? st("caseloads.unallocated") : r.adviser_name}
                    </Link>
                  </th>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{r.count}</td>
                  <td class="govuk-table__cell">
                    {r.adviser_id === null || max === null ? (
                      ""
                    ) : r.count > max ? (
                      <Tag colour="red">{st("caseloads.overBy", { n: r.count - max })}</Tag>
                    ) : (
                      <Tag colour="grey">{st("caseloads.within", { n: max - r.count })}</Tag>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
