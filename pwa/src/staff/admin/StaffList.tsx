import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { ProblemView } from "../../ui/ProblemView";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { roleName, useTeams } from "./staffFields";

/** Every staff account: role, teams, whether it can sign in and has a sign-in code; each opens to be changed. */
export function StaffList() {
  const resource = useResource("staff:staff", () => call(api.GET("/api/v1/staff")));
  // Where the council requires codes, "No code" is someone who cannot work until they set one up.
  const organisation = useResource("staff:organisation", () => call(api.GET("/api/v1/organisation")));
  const required = organisation.data?.require_staff_mfa ?? false;
  const teams = useTeams();
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name ?? "";
  const people = [...(resource.data ?? [])].sort((a, b) => Number(b.is_active) - Number(a.is_active) || a.display_name.localeCompare(b.display_name));
  const missing = people.filter((p) => p.is_active && p.has_sign_in_code === false).length;
  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("admin.staff.title")}
      </h1>
      <Link href="/staff/admin/staff/new" class="govuk-button">
        {st("admin.staff.add")}
      </Link>
      {!resource.data && resource.error && <ProblemView error={resource.error} retry={resource.reload} />}
      {!resource.data && !resource.error && (
        <p class="govuk-body" role="status">
          {st("admin.loading")}
        </p>
      )}
      {required && missing > 0 && (
        <p class="govuk-inset-text">{st(missing === 1 ? "admin.staff.missingCodeOne" : "admin.staff.missingCodes", { count: missing })}</p>
      )}
      {resource.data && (
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-visually-hidden">{st("admin.staff.title")}</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">{st("admin.staff.name")}</th>
              <th scope="col" class="govuk-table__header">{st("admin.staff.role")}</th>
              <th scope="col" class="govuk-table__header">{st("admin.staff.teams")}</th>
              <th scope="col" class="govuk-table__header">{st("admin.staff.account")}</th>
              <th scope="col" class="govuk-table__header">{st("admin.staff.code")}</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {people.map((person) => (
              <tr class="govuk-table__row" key={person.id}>
                <td class="govuk-table__cell">
                  <Link href={`/staff/admin/staff/${person.id}`}>{person.display_name}</Link>
                  <br />
                  <span class="govuk-body-s">{person.email}</span>
                </td>
                <td class="govuk-table__cell">
                  {roleName(person.role)}
                  {person.council_wide && <span class="govuk-body-s"> · {st("admin.staff.councilWide")}</span>}
                </td>
                <td class="govuk-table__cell">{person.team_ids.map(teamName).filter(Boolean).join(", ") || st("admin.staff.noTeam")}</td>
                <td class="govuk-table__cell">
                  {person.is_active ? <Tag colour="green">{st("admin.staff.active")}</Tag> : <Tag colour="grey">{st("admin.staff.disabled")}</Tag>}
                </td>
                <td class="govuk-table__cell">
                  <CodeTag has={person.has_sign_in_code} required={required && person.is_active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** "Code set up" or "No code"; where codes are required a missing one is red and says so in words too. */
function CodeTag({ has, required }: { has: boolean | null | undefined; required: boolean }) {
  if (has === null || has === undefined) return null;
  if (has) return <Tag colour="green">{st("admin.staff.hasCode")}</Tag>;
  return required ? <Tag colour="red">{st("admin.staff.noCodeRequired")}</Tag> : <Tag colour="grey">{st("admin.staff.noCode")}</Tag>;
}
