import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { ProblemView } from "../../ui/ProblemView";
import { useResource } from "../../ui/useResource";
import { errorFor, Saved, saveErrors, TextField } from "./fields";

/** The council's teams, and a form to add one. */
export function Teams() {
  const resource = useResource("staff:teams", () => call(api.GET("/api/v1/teams")));
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const add = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    setSaved(null);
    if (!name.trim()) {
      setErrors([{ field: "team-name", text: st("admin.teams.missingName") }]);
      return;
    }
    setSaving(true);
    setErrors([]);
    try {
      const team = (await call(api.POST("/api/v1/teams", { body: { name: name.trim() } }))).data;
      resource.replace([...(resource.data ?? []), team]);
      setSaved(st("admin.teams.added", { name: team.name }));
      setName("");
    } catch (e) {
      setErrors(saveErrors(e, "team-"));
    } finally {
      setSaving(false);
    }
  };

  const teams = [...(resource.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("admin.teams.title")}
      </h1>
      {!resource.data && resource.error && <ProblemView error={resource.error} retry={resource.reload} />}
      {!resource.data && !resource.error && (
        <p class="govuk-body" role="status">
          {st("admin.loading")}
        </p>
      )}
      {resource.data && teams.length === 0 && <p class="govuk-body">{st("admin.teams.none")}</p>}
      {teams.length > 0 && (
        <ul class="govuk-list govuk-list--bullet">
          {teams.map((team) => (
            <li key={team.id}>{team.name}</li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void add(e)} noValidate>
        <h2 class="govuk-heading-m">{st("admin.teams.add")}</h2>
        <ErrorSummary items={errors} />
        <Saved text={saved} />
        <TextField id="team-name" label={st("admin.teams.name")} value={name} onInput={setName} error={errorFor(errors, "team-name")} width={20} />
        <button type="submit" class="govuk-button" disabled={saving} aria-disabled={saving}>
          {st("admin.teams.addButton")}
        </button>
      </form>
    </>
  );
}
