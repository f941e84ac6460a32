import { useState } from "preact/hooks";
import { api, call, type components, type Fetched } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { Pagination } from "../../ui/Pagination";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { figuresHref, PROBLEMS, scopeQuery, useFigureScope, type MeasureName } from "./state";
import "../manager.scss";

const PAGE = 50;
type Met = "" | "true" | "false";
type Page = components["schemas"]["Page_MeasureRow_"];

/**
 * The young people behind one figure (or one document type, entitlement or PA's caseload), for
 * the date and scope chosen on the overview, each opening their case; and the same list as CSV.
 */
export function Names({ measure, part }: { measure: MeasureName; part: string | null }) {
  const s = useFigureScope();
  const [page, setPage] = useState(1);
  const [met, setMet] = useState<Met>("");
  const query = {
    ...scopeQuery(s),
    ...(measure === "documents_by_18" && part ? { document_type: part } : {}),
    ...(measure === "entitlements_received" && part ? { entitlement: part } : {}),
    // A PA's row of the caseload figure: their young people, whatever the overview's scope.
    ...(measure === "caseload" && part ? { adviser: part, team: undefined } : {}),
    ...(met ? { met: met === "true" } : {}),
  };
  const resource = useResource(
    `staff:names:${measure}:${part ?? ""}:${JSON.stringify(query)}:${page}`,
    // JSON here: the same route answers CSV only when asked (format=csv, the download link).
    async () =>
      (await call(
        api.GET("/api/v1/reports/{measure}/young-people", {
          params: { path: { measure }, query: { ...query, limit: PAGE, offset: (page - 1) * PAGE } },
        }),
      )) as Fetched<Page>,
  );
  const csv = `/api/v1/reports/${measure}/young-people?${new URLSearchParams(
    Object.entries({ ...query, format: "csv" })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString()}`;
  const title = st(stKey("measure", measure));
  const metLabel = PROBLEMS.has(measure) ? st("names.problem") : st("names.met");

  return (
    <Screen
      title={st("names.title", { title })}
      resource={resource}
      lead={
        <>
          <p class="govuk-body">
            <Link href={figuresHref("/staff/figures")}>{st("names.back")}</Link>
          </p>
          <p class="govuk-body">{st("names.asOf", { date: formatDate(s.asOf) })}</p>
          <div class="staff-filters">
            <div class="govuk-form-group">
              <label class="govuk-label" for="names-met">
                {st("names.show")}
              </label>
              <select
                class="govuk-select"
                id="names-met"
                value={met}
                onChange={(e) => {
                  setMet(e.currentTarget.value as Met);
                  setPage(1);
                }}
              >
                <option value="">{st("names.everyone")}</option>
                <option value="false">{st(PROBLEMS.has(measure) ? "names.onlyFine" : "names.onlyNotMet")}</option>
                <option value="true">{st(PROBLEMS.has(measure) ? "names.onlyProblem" : "names.onlyMet")}</option>
              </select>
            </div>
            <p class="govuk-body">
              <a class="govuk-link" href={csv} download>
                {st("names.csv")}
              </a>
            </p>
          </div>
        </>
      }
    >
      {(data) => (
        <>
          <p class="govuk-body" role="status">
            {st("names.count", { total: data.total })}
          </p>
          {data.items.length === 0 ? (
            <p class="govuk-inset-text">{st("names.none")}</p>
          ) : (
            <table class="govuk-table">
              <caption class="govuk-table__caption govuk-visually-hidden">{st("names.title", { title })}</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">
                    {st("names.name")}
                  </th>
                  <th scope="col" class="govuk-table__header">
                    {metLabel}
                  </th>
                  <th scope="col" class="govuk-table__header">
                    {st("names.reason")}
                  </th>
                  <th scope="col" class="govuk-table__header">
                    {st("names.adviser")}
                  </th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                    {st("names.overdue")}
                  </th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {data.items.map((row) => (
                  <tr key={row.young_person_id} class="govuk-table__row">
                    <td class="govuk-table__cell">
                      <Link href={`/staff/young-people/${row.young_person_id}`}>{row.full_name}</Link>
                      <br />
                      <span class="govuk-body-s">{st("names.idAge", { id: row.external_id, age: row.age })}</span>
                    </td>
                    <td class="govuk-table__cell">
                      {row.met === PROBLEMS.has(measure) ? (
                        <Tag colour="red">{PROBLEMS.has(measure) ? st("names.yesProblem") : st("names.no")}</Tag>
                      ) : (
                        <Tag colour="green">{PROBLEMS.has(measure) ? st("names.noProblem") : st("names.yes")}</Tag>
                      )}
                    </td>
                    <td class="govuk-table__cell">{row.reason}</td>
                    <td class="govuk-table__cell">{row.personal_adviser?.name ?? st("names.noAdviser")}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">
                      {row.days_overdue ? st("names.days", { n: row.days_overdue }) : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination page={page} pages={Math.max(1, Math.ceil(data.total / PAGE))} onPage={setPage} />
        </>
      )}
    </Screen>
  );
}
