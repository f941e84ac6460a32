import { useState } from "preact/hooks";
import { api, call, type paths } from "../../api/client";
import { formatList, t } from "../../i18n";
import { st, stKey } from "../../i18n/staff.en";
import { ProblemView } from "../../ui/ProblemView";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { CheckField, SelectField, TextField } from "./fields";

type Profile = NonNullable<paths["/api/v1/home-preview"]["get"]["parameters"]["query"]>;
type Status = NonNullable<Profile["status"]>;
type Activity = NonNullable<Profile["activity"]>;
const STATUSES: readonly Status[] = ["eligible", "relevant", "former_relevant", "qualifying"];
const ACTIVITIES: readonly Activity[] = ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"];
const FLAGS = ["uasc", "disabled", "is_parent", "looked_after"] as const;

/**
 * The young person's home screen as someone with the chosen circumstances would see it today,
 * in the app's own words, read-only. Nobody's record is read (GET /home-preview).
 */
export function Preview() {
  const [status, setStatus] = useState<Status | "">("former_relevant");
  const [age, setAge] = useState("18");
  const [activity, setActivity] = useState<Activity | "">("");
  const [flags, setFlags] = useState<Record<(typeof FLAGS)[number], boolean>>({ uasc: false, disabled: false, is_parent: false, looked_after: false });
  const years = /^\d+$/.test(age.trim()) ? Math.min(25, Math.max(14, Number(age))) : 18;
  const query: Profile = { age: years, ...flags, ...(status ? { status } : {}), ...(activity ? { activity } : {}) };
  const key = `staff:home-preview:${JSON.stringify(query)}`;
  const preview = useResource(key, () => call(api.GET("/api/v1/home-preview", { params: { query } })));
  const home = preview.data;

  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("admin.preview.title")}
      </h1>
      <p class="govuk-body">{st("admin.preview.lead")}</p>
      <div class="govuk-grid-row">
        <form class="govuk-grid-column-one-half" onSubmit={(e) => e.preventDefault()} aria-label={st("admin.preview.profile")}>
          <h2 class="govuk-heading-m">{st("admin.preview.profile")}</h2>
          <SelectField
            id="preview-status"
            label={st("admin.preview.status")}
            value={status}
            options={[{ value: "", label: st("status.none") }, ...STATUSES.map((s) => ({ value: s, label: st(stKey("status", s)) }))]}
            onChange={(v) => setStatus(v as Status | "")}
          />
          <TextField id="preview-age" label={st("admin.preview.age")} value={age} onInput={setAge} width={2} inputMode="numeric" />
          <SelectField
            id="preview-activity"
            label={st("admin.preview.activity")}
            value={activity}
            options={[{ value: "", label: st("admin.preview.activityNone") }, ...ACTIVITIES.map((a) => ({ value: a, label: st(stKey("activity", a)) }))]}
            onChange={(v) => setActivity(v as Activity | "")}
          />
          {FLAGS.map((flag) => (
            <CheckField key={flag} id={`preview-${flag}`} label={st(stKey("admin.preview.flag", flag))} checked={flags[flag]} onChange={(on) => setFlags((all) => ({ ...all, [flag]: on }))} />
          ))}
        </form>
        <div class="govuk-grid-column-one-half">
          <section class="staff-phone-preview" aria-label={st("admin.preview.phone")}>
            {!home && preview.error && <ProblemView error={preview.error} retry={preview.reload} />}
            {!home && !preview.error && (
              <p class="govuk-body" role="status">
                {st("admin.loading")}
              </p>
            )}
            {home && (
              <>
                <p class="govuk-caption-m">{home.organisation.name}</p>
                <h2 class="govuk-heading-l">{t("home.hello", { name: st("admin.preview.name") })}</h2>
                <p class="govuk-body">{t("home.yourPa", { name: st("admin.preview.paName") })}</p>
                <p class="govuk-body">
                  <span class="govuk-button staff-preview-button">{t("home.checkIn")}</span>
                </p>
                <h3 class="govuk-heading-m">{t("home.needsYou")}</h3>
                <ul class="govuk-task-list">
                  {home.rights_to_read.length > 0 && (
                    <li class="govuk-task-list__item">
                      <div class="govuk-task-list__name-and-hint">
                        <span>{t("home.rights")}</span>
                        <div class="govuk-task-list__hint">{formatList(home.rights_to_read.map((r) => r.title))}</div>
                      </div>
                      <div class="govuk-task-list__status">
                        <Tag colour="blue">{t("home.rightsCount", { count: home.rights_to_read.length })}</Tag>
                      </div>
                    </li>
                  )}
                  <li class="govuk-task-list__item">
                    <div class="govuk-task-list__name-and-hint">
                      <span>{t("home.documents")}</span>
                      <div class="govuk-task-list__hint">{formatList(home.documents)}</div>
                    </div>
                    <div class="govuk-task-list__status">
                      <Tag colour="grey">{t("home.documentsCount", { done: 0, total: home.documents.length })}</Tag>
                    </div>
                  </li>
                </ul>
                <h3 class="govuk-heading-s">{st("admin.preview.localOffer", { count: home.local_offer.length })}</h3>
                <ul class="govuk-list govuk-list--bullet">
                  {home.local_offer.map((page) => (
                    <li key={page.slug}>{page.title}</li>
                  ))}
                </ul>
                {home.organisation.out_of_hours_phone && (
                  <p class="govuk-body-s">{st("admin.preview.outOfHours", { phone: home.organisation.out_of_hours_phone })}</p>
                )}
              </>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
