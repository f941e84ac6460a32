import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Link } from "../../ui/Link";
import { errorFor, invalidText, Saved, saveErrors, TextField } from "./fields";
import { JobFields, NEW_JOB, type Job } from "./staffFields";

const PREFIX = "new-";

/**
 * A password nobody knows: the API needs one to create an account, but the new member of staff
 * chooses their own from the reset link sent straight after, so no password is ever passed on.
 */
function unguessable(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Add a member of staff; they get a link by email to choose their password. */
export function AddStaff() {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [job, setJob] = useState<Job>(NEW_JOB);
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const add = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const missing: SummaryItem[] = [];
    if (!name.trim()) missing.push({ field: `${PREFIX}display_name`, text: st("admin.staff.missingName") });
    if (!email.trim()) missing.push({ field: `${PREFIX}email`, text: st("admin.staff.missingEmail") });
    setErrors(missing);
    setDone(null);
    if (missing.length > 0) return;
    setSaving(true);
    try {
      const created = (
        await call(
          api.POST("/api/v1/staff", {
            body: {
              display_name: name.trim(),
              email: email.trim(),
              role: job.role,
              team_ids: job.teams,
              council_wide: job.role === "manager" && job.councilWide,
              phone: job.phone.trim() === "" ? null : job.phone.trim(),
              password: unguessable(),
            },
          }),
        )
      ).data;
      // The account exists now; if the link cannot be sent, they can still ask for one themselves.
      const sent = await call(api.POST("/api/v1/auth/forgot-password", { body: { username: created.email } })).then(
        () => true,
        () => false,
      );
      setDone(st(sent ? "admin.staff.added" : "admin.staff.addedNoLink", { name: created.display_name, email: created.email }));
      setName("");
      setEmail("");
      setJob(NEW_JOB);
    } catch (e) {
      setErrors(saveErrors(e, PREFIX, invalidText("admin.staff")));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Link href="/staff/admin/staff" class="govuk-back-link">
        {st("admin.staff.back")}
      </Link>
      <form onSubmit={(e) => void add(e)} noValidate>
        <ErrorSummary items={errors} />
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {st("admin.staff.add")}
        </h1>
        <Saved text={done} />
        <p class="govuk-body">{st("admin.staff.addLead")}</p>
        <TextField id={`${PREFIX}display_name`} label={st("admin.staff.name")} value={name} onInput={setName} error={errorFor(errors, `${PREFIX}display_name`)} width={20} autocomplete="off" />
        <TextField
          id={`${PREFIX}email`}
          label={st("admin.staff.email")}
          type="email"
          value={email}
          onInput={setEmail}
          error={errorFor(errors, `${PREFIX}email`)}
          width={30}
          autocomplete="off"
          spellcheck={false}
        />
        <JobFields prefix={PREFIX} job={job} onChange={setJob} errors={errors} />
        <button type="submit" class="govuk-button" disabled={saving} aria-disabled={saving}>
          {st("admin.staff.addButton")}
        </button>
      </form>
    </>
  );
}
