import { st } from "../../i18n/staff.en";

/** My day: a placeholder until issue 15 fills it (waiting messages, need help now, follow-ups…). */
export function MyDay({ name, onSignOut }: { name: string; onSignOut: () => void }) {
  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("staff.myDay")}
      </h1>
      <p class="govuk-body">{st("staff.signedInAs", { name })}</p>
      <p class="govuk-inset-text">{st("staff.myDayComing")}</p>
      <button type="button" class="govuk-button govuk-button--secondary" onClick={onSignOut}>
        {st("staff.signOut")}
      </button>
    </>
  );
}
