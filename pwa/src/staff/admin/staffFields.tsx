/** The parts the "add" and "change" staff forms share: the role choice and the team checkboxes. */
import { api, call, type components } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { useResource } from "../../ui/useResource";
import { SelectField } from "./fields";

export type Role = Exclude<components["schemas"]["Role"], "young_person">;
export type StaffMember = components["schemas"]["StaffRead"];
export const ROLES: readonly Role[] = ["personal_adviser", "manager", "admin"];

export const roleName = (role: string): string => st(stKey("role", role));

export const useTeams = () => useResource("staff:teams", () => call(api.GET("/api/v1/teams")));

export function RoleField({ id, value, onChange, error }: { id: string; value: Role; onChange: (r: Role) => void; error?: string | undefined }) {
  return (
    <SelectField
      id={id}
      label={st("admin.staff.role")}
      value={value}
      options={ROLES.map((r) => ({ value: r, label: roleName(r) }))}
      onChange={(v) => onChange(v as Role)}
      error={error}
    />
  );
}

/** Checkboxes for the teams someone works in (a PA sees their teams' young people on duty). */
export function TeamsField({ id, chosen, onChange, error }: { id: string; chosen: readonly string[]; onChange: (ids: string[]) => void; error?: string | undefined }) {
  const teams = useTeams();
  const all = [...(teams.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const toggle = (team: string, on: boolean) => onChange(on ? [...chosen, team] : chosen.filter((t) => t !== team));
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("admin.staff.teams")}</legend>
        {error && (
          <p class="govuk-error-message" id={`${id}-error`}>
            {error}
          </p>
        )}
        {teams.data && all.length === 0 && <p class="govuk-body">{st("admin.teams.none")}</p>}
        <div class="govuk-checkboxes govuk-checkboxes--small">
          {all.map((team, i) => (
            <div class="govuk-checkboxes__item" key={team.id}>
              <input
                class="govuk-checkboxes__input"
                id={i === 0 ? id : `${id}-${team.id}`}
                type="checkbox"
                checked={chosen.includes(team.id)}
                onChange={(e) => toggle(team.id, e.currentTarget.checked)}
              />
              <label class="govuk-label govuk-checkboxes__label" for={i === 0 ? id : `${id}-${team.id}`}>
                {team.name}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
