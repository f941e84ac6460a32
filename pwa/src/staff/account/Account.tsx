import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { ProblemView } from "../../ui/ProblemView";
import { useResource } from "../../ui/useResource";
import { Availability } from "./Availability";
import { TwoStep } from "./TwoStep";

/** Your account: two-step sign-in, and (for those who hold a caseload) away and cover. */
export function Account() {
  const me = useResource("staff:me", () => call(api.GET("/api/v1/users/me")));
  const data = me.data;
  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("account.title")}
      </h1>
      {!data && me.error && <ProblemView error={me.error} retry={me.reload} />}
      {!data && !me.error && (
        <p class="govuk-body" role="status">
          {st("admin.loading")}
        </p>
      )}
      {data && (
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <p class="govuk-body">{st("account.signedInAs", { name: data.display_name, email: data.email ?? "" })}</p>
            <TwoStep enabled={data.mfa_enabled} onEnabled={me.reload} />
            {(data.role === "personal_adviser" || data.role === "manager") && <Availability myId={data.id} />}
          </div>
        </div>
      )}
    </>
  );
}
