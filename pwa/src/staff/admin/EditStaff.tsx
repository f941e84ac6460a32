import { useEffect, useRef, useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError } from "../../api/errors";
import { st } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Link } from "../../ui/Link";
import { ProblemView } from "../../ui/ProblemView";
import { useResource } from "../../ui/useResource";
import { errorFor, invalidText, Saved, saveErrors, TextField } from "./fields";
import { JobFields, jobOf, NEW_JOB, type Job, type StaffMember } from "./staffFields";

type Update = components["schemas"]["StaffUpdate"];
const PREFIX = "edit-";

/** Change one member of staff: name, phone, role and teams; disable or enable; reset their code. */
export function EditStaff({ id }: { id: string }) {
  const resource = useResource("staff:staff", () => call(api.GET("/api/v1/staff")));
  const person = resource.data?.find((p) => p.id === id);
  const [name, setName] = useState("");
  const [job, setJob] = useState<Job>(NEW_JOB);
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  // A 409 on disabling or a change of role: they still hold a caseload (shown with a way to it).
  const [held, setHeld] = useState<string | null>(null);
  const heldBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (held) heldBox.current?.focus();
  }, [held]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (!person) return;
    setName(person.display_name);
    setJob(jobOf(person));
  }, [person]);

  const send = async (body: Update, done: string) => {
    if (saving) return;
    setSaving(true);
    setErrors([]);
    setHeld(null);
    setSaved(null);
    try {
      const updated = (await call(api.PATCH("/api/v1/staff/{staff_id}", { params: { path: { staff_id: id } }, body }))).data;
      resource.replace((resource.data ?? []).map((p) => (p.id === id ? updated : p)));
      setSaved(done);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.problem?.detail) setHeld(e.problem.detail);
      else setErrors(saveErrors(e, PREFIX, invalidText("admin.staff")));
    } finally {
      setSaving(false);
    }
  };

  const saveDetails = (event: Event, was: StaffMember) => {
    event.preventDefault();
    const body: Update = {};
    if (name.trim() !== was.display_name) body.display_name = name.trim();
    if ((job.phone.trim() || null) !== was.phone) body.phone = job.phone.trim() || null;
    if (job.role !== was.role) body.role = job.role;
    if ([...job.teams].sort().join() !== [...was.team_ids].sort().join()) body.team_ids = job.teams;
    if (job.councilWide !== was.council_wide) body.council_wide = job.councilWide;
    if (Object.keys(body).length === 0) {
      setSaved(st("admin.org.nothing"));
      return;
    }
    void send(body, st("admin.staff.saved", { name: name.trim() || was.display_name }));
  };

  const resetCode = async (was: StaffMember) => {
    if (saving) return;
    setSaving(true);
    setErrors([]);
    setSaved(null);
    try {
      await call(api.POST("/api/v1/staff/{staff_id}/mfa/reset", { params: { path: { staff_id: id } } }));
      setSaved(st("admin.staff.mfaReset", { name: was.display_name }));
    } catch (e) {
      setErrors(saveErrors(e, PREFIX));
    } finally {
      setSaving(false);
    }
  };

  if (!person)
    return (
      <>
        <Link href="/staff/admin/staff" class="govuk-back-link">
          {st("admin.staff.back")}
        </Link>
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {st("admin.staff.change")}
        </h1>
        {resource.error ? (
          <ProblemView error={resource.error} retry={resource.reload} />
        ) : (
          <p class="govuk-body" role="status">
            {resource.data ? st("admin.staff.notFound") : st("admin.loading")}
          </p>
        )}
      </>
    );

  return (
    <>
      <Link href="/staff/admin/staff" class="govuk-back-link">
        {st("admin.staff.back")}
      </Link>
      <ErrorSummary items={errors} />
      <span class="govuk-caption-l">{person.email}</span>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {person.display_name}
      </h1>
      <Saved text={saved} />
      {held && (
        <div class="govuk-error-summary" role="alert" tabIndex={-1} ref={heldBox}>
          <h2 class="govuk-error-summary__title">{st("admin.staff.heldTitle")}</h2>
          <div class="govuk-error-summary__body">
            <p class="govuk-body">{held}</p>
            <p class="govuk-body">
              <Link href="/staff/caseload">{st("admin.staff.reassign", { name: person.display_name })}</Link>
            </p>
          </div>
        </div>
      )}
      <form onSubmit={(e) => saveDetails(e, person)} noValidate>
        <TextField id={`${PREFIX}display_name`} label={st("admin.staff.name")} value={name} onInput={setName} error={errorFor(errors, `${PREFIX}display_name`)} width={20} />
        <JobFields prefix={PREFIX} job={job} onChange={setJob} errors={errors} />
        <button type="submit" class="govuk-button" disabled={saving} aria-disabled={saving}>
          {st("admin.staff.save")}
        </button>
      </form>

      <h2 class="govuk-heading-m">{st("admin.staff.accountTitle")}</h2>
      <p class="govuk-body">{person.is_active ? st("admin.staff.isActive") : st("admin.staff.isDisabled")}</p>
      {errorFor(errors, `${PREFIX}is_active`) && <p class="govuk-error-message">{errorFor(errors, `${PREFIX}is_active`)}</p>}
      <div class="govuk-button-group">
        <button
          type="button"
          id={`${PREFIX}is_active`}
          class={person.is_active ? "govuk-button govuk-button--warning" : "govuk-button govuk-button--secondary"}
          disabled={saving}
          onClick={() =>
            void send(
              { is_active: !person.is_active },
              st(person.is_active ? "admin.staff.wasDisabled" : "admin.staff.wasEnabled", { name: person.display_name }),
            )
          }
        >
          {person.is_active ? st("admin.staff.disable") : st("admin.staff.enable")}
        </button>
        <button type="button" class="govuk-button govuk-button--secondary" disabled={saving} onClick={() => void resetCode(person)}>
          {st("admin.staff.resetMfa")}
        </button>
      </div>
      <p class="govuk-body-s">{st("admin.staff.resetMfaHint")}</p>
    </>
  );
}
