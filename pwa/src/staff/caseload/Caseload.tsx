import { useState } from "preact/hooks";
import { api, call, type components, type Fetched } from "../../api/client";
import { st, stKey, type StaffKey } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";

type S = components["schemas"];
type Status = S["LegalStatus"];
type Column = "name" | "age" | "status" | "review" | "unread" | "contact" | "documents";
type Row = S["CaseloadLine"];

interface CaseloadData {
  rows: Row[];
  total: number;
}

const STATUSES: readonly Status[] = ["eligible", "relevant", "former_relevant", "qualifying"];
const COLUMNS: readonly { key: Column; label: StaffKey }[] = [
  { key: "name", label: "caseload.col.name" },
  { key: "age", label: "caseload.col.age" },
  { key: "status", label: "caseload.col.status" },
  { key: "review", label: "caseload.col.review" },
  { key: "unread", label: "caseload.col.unread" },
  { key: "contact", label: "caseload.col.contact" },
  { key: "documents", label: "caseload.col.documents" },
];

/** One request carries every column (GET /caseload); status is filtered here, on today's status. */
async function load(search: string, status: Status | "", mine: boolean): Promise<Fetched<CaseloadData>> {
  const page = (await call(api.GET("/api/v1/caseload", { params: { query: { limit: 200, mine, ...(search ? { search } : {}) } } }))).data;
  const rows = status ? page.items.filter((r) => r.status === status) : page.items;
  return { data: { rows, total: status ? rows.length : page.total }, savedAt: null, etag: null };
}

const share = (r: Row): number => (r.documents_applicable === 0 ? 1 : r.documents_done / r.documents_applicable);

function compare(column: Column): (a: Row, b: Row) => number {
  switch (column) {
    case "name":
      return (a, b) => a.full_name.localeCompare(b.full_name);
    case "age":
      return (a, b) => a.age - b.age;
    case "status":
      return (a, b) => (a.status ?? "").localeCompare(b.status ?? "");
    case "review":
      // No date sorts last: the dated reviews are the ones to plan around.
      return (a, b) => (a.next_review_due_on ?? "9999").localeCompare(b.next_review_due_on ?? "9999");
    case "unread":
      return (a, b) => b.unread - a.unread;
    case "contact":
      // Longest without contact first: never contacted before anyone.
      return (a, b) => (a.last_contact_on ?? "0000").localeCompare(b.last_contact_on ?? "0000");
    case "documents":
      return (a, b) => share(a) - share(b);
  }
}

/** Caseload: search by name or ID, filter by status, a sortable table opening each case. */
export function Caseload() {
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<Status | "">("");
  const [mine, setMine] = useState(true);
  const [sort, setSort] = useState<{ column: Column; ascending: boolean }>({ column: "name", ascending: true });
  const resource = useResource(`staff:caseload:${mine ? "me" : "all"}:${status}:${search}`, () => load(search, status, mine));

  const sortBy = (column: Column) =>
    setSort((s) => ({ column, ascending: s.column === column ? !s.ascending : true }));

  return (
    <Screen title={st("caseload.title")} resource={resource}>
      {({ rows, total }) => {
        const sorted = [...rows].sort(compare(sort.column));
        if (!sort.ascending) sorted.reverse();
        return (
          <>
            <form
              class="staff-filters"
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                setSearch(typed.trim());
              }}
            >
              <div class="govuk-form-group">
                <label class="govuk-label" for="caseload-search">
                  {st("caseload.search")}
                </label>
                <input
                  class="govuk-input govuk-input--width-20"
                  id="caseload-search"
                  type="search"
                  value={typed}
                  maxLength={100}
                  onInput={(e) => setTyped(e.currentTarget.value)}
                />
              </div>
              <div class="govuk-form-group">
                <label class="govuk-label" for="caseload-status">
                  {st("caseload.status")}
                </label>
                <select
                  class="govuk-select"
                  id="caseload-status"
                  value={status}
                  onChange={(e) => setStatus(e.currentTarget.value as Status | "")}
                >
                  <option value="">{st("caseload.anyStatus")}</option>
                  {STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {st(stKey("status", s))}
                    </option>
                  ))}
                </select>
              </div>
              <div class="govuk-form-group">
                <div class="govuk-checkboxes govuk-checkboxes--small">
                  <div class="govuk-checkboxes__item">
                    <input
                      class="govuk-checkboxes__input"
                      id="caseload-mine"
                      type="checkbox"
                      checked={mine}
                      onChange={(e) => setMine(e.currentTarget.checked)}
                    />
                    <label class="govuk-label govuk-checkboxes__label" for="caseload-mine">
                      {st("caseload.mine")}
                    </label>
                  </div>
                </div>
              </div>
              <div class="govuk-form-group">
                <button type="submit" class="govuk-button govuk-!-margin-bottom-0">
                  {st("caseload.searchButton")}
                </button>
              </div>
            </form>
            <p class="govuk-body" role="status">
              {st("caseload.shown", { shown: rows.length, total })}
            </p>
            {rows.length === 0 ? (
              <p class="govuk-inset-text">{st("caseload.none")}</p>
            ) : (
              <table class="govuk-table">
                <caption class="govuk-table__caption govuk-visually-hidden">{st("caseload.title")}</caption>
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    {COLUMNS.map((c) => (
                      <th
                        key={c.key}
                        scope="col"
                        class="govuk-table__header"
                        aria-sort={sort.column === c.key ? (sort.ascending ? "ascending" : "descending") : "none"}
                      >
                        <button type="button" class="staff-sort" onClick={() => sortBy(c.key)}>
                          {st(c.label)}
                          {sort.column === c.key ? (sort.ascending ? " ▲" : " ▼") : ""}
                        </button>
                      </th>
                    ))}
                    <th scope="col" class="govuk-table__header">
                      {st("caseload.col.id")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {st("caseload.col.pa")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {st("caseload.col.account")}
                    </th>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  {sorted.map((row) => (
                    <CaseloadRow key={row.young_person_id} row={row} />
                  ))}
                </tbody>
              </table>
            )}
          </>
        );
      }}
    </Screen>
  );
}

function CaseloadRow({ row }: { row: Row }) {
  return (
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">
        <Link href={`/staff/young-people/${row.young_person_id}`}>{row.full_name}</Link>
        {row.duty_cover && (
          <>
            {" "}
            <Tag colour="grey">{st("caseload.cover")}</Tag>
          </>
        )}
        {row.open_concerns > 0 && (
          <>
            {" "}
            <Tag colour="orange">{`${st("caseload.col.concerns")}: ${row.open_concerns}`}</Tag>
          </>
        )}
      </td>
      <td class="govuk-table__cell">{row.age}</td>
      <td class="govuk-table__cell">{st(stKey("status", row.status ?? "none"))}</td>
      <td class="govuk-table__cell">
        {row.next_review_due_on ? formatDate(row.next_review_due_on) : st("caseload.noReview")}
        {row.plan_overdue_days > 0 && (
          <>
            {" "}
            <Tag colour="red">{st("caseload.overdue")}</Tag>
          </>
        )}
      </td>
      <td class="govuk-table__cell">{row.unread}</td>
      <td class="govuk-table__cell">
        {row.last_contact_on ? formatDate(row.last_contact_on) : st("caseload.never")}
        {row.last_mood && (
          <>
            <br />
            <span class="govuk-body-s">{`${st("caseload.col.mood")}: ${st(stKey("caseload.mood", row.last_mood))}`}</span>
          </>
        )}
      </td>
      <td class="govuk-table__cell">{st("caseload.documents", { done: row.documents_done, applicable: row.documents_applicable })}</td>
      <td class="govuk-table__cell">{row.external_id}</td>
      <td class="govuk-table__cell">{row.personal_adviser_name ?? ""}</td>
      <td class="govuk-table__cell">{st(stKey("case.invite", row.invite_state))}</td>
    </tr>
  );
}
