import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { useResource } from "../../ui/useResource";
import { InvitePanel } from "./records/InvitePanel";
import { ObservationForm } from "./records/ObservationForm";
import { RhythmForm } from "./records/RhythmForm";

/** The records a PA keeps up: the OC3 observation, how often the app asks for a check-in, the invite. */
export function RecordsTab({ id }: { id: string }) {
  const observations = useResource(`staff:yp:${id}:observations`, () =>
    call(api.GET("/api/v1/young-people/{yp}/observations", { params: { path: { yp: id } } })),
  );
  return (
    <>
      <h2 class="govuk-heading-m">{st("records.title")}</h2>
      <ObservationForm id={id} list={observations} />
      <hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible" />
      <RhythmForm id={id} />
      <hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible" />
      <InvitePanel id={id} />
    </>
  );
}
