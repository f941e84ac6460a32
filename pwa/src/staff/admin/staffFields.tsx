/** The parts the "add" and "change" staff forms share: someone's job (phone, role, teams). */
import { api, call, type components } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import type { SummaryItem } from "../../ui/ErrorSummary";
import { useResource } from "../../ui/useResource";
import { CheckField, errorFor, SelectField, TextField } from "./fields";

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

/** What someone does: how young people reach them, their role, whether a manager sees the whole council, their teams. */
export interface Job {
  phone: string;
  role: Role;
  councilWide: boolean;
  teams: string[];
}

export const NEW_JOB: Job = { phone: "", role: "personal_adviser", councilWide: false, teams: [] };

export const jobOf = (person: StaffMember): Job => ({
  phone: person.phone ?? "",
  role: person.role === "young_person" ? "personal_adviser" : person.role,
  councilWide: person.council_wide,
  teams: person.team_ids,
});

/** The job's fields, their ids `${prefix}phone`, `${prefix}role`… as the API's errors name them. */
export function JobFields({ prefix, job, onChange, errors }: { prefix: string; job: Job; onChange: (job: Job) => void; errors: SummaryItem[] }) {
  const set = (change: Partial<Job>) => onChange({ ...job, ...change });
  return (
    <>
      <TextField
        id={`${prefix}phone`}
        label={st("admin.staff.phone")}
        hint={st("admin.staff.phoneHint")}
        type="tel"
        value={job.phone}
        onInput={(phone) => set({ phone })}
        error={errorFor(errors, `${prefix}phone`)}
        width={20}
      />
      <RoleField id={`${prefix}role`} value={job.role} onChange={(role) => set({ role })} error={errorFor(errors, `${prefix}role`)} />
      {job.role === "manager" && (
        <CheckField
          id={`${prefix}council_wide`}
          label={st("admin.staff.councilWideLabel")}
          hint={st("admin.staff.councilWideHint")}
          checked={job.councilWide}
          onChange={(councilWide) => set({ councilWide })}
          error={errorFor(errors, `${prefix}council_wide`)}
        />
      )}
      <TeamsField id={`${prefix}team_ids`} chosen={job.teams} onChange={(teams) => set({ teams })} error={errorFor(errors, `${prefix}team_ids`)} />
    </>
  );
}
