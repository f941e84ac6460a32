import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { days, st, stKey } from "../../i18n/staff.en";
import { ProblemView } from "../../ui/ProblemView";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { CopyGiven } from "./plan/CopyGiven";
import { PlanEditor } from "./plan/PlanEditor";
import { PlanHistory } from "./plan/PlanHistory";
import { VersionView } from "./plan/VersionView";
import { Section } from "./Section";

/**
 * The pathway plan: the version being worked on as an editor (or waiting for a manager), the agreed
 * one with the copies given, and the history of versions.
 */
export function PlanTab({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:plan`, () =>
    call(api.GET("/api/v1/young-people/{yp}/plan", { params: { path: { yp: id } } })),
  );
  return (
    <Section title={st("plan.title")} resource={resource}>
      {(plan) => (
        <>
          {plan.review_overdue_days > 0 && (
            <p class="govuk-body">
              <Tag colour="red">{st("plan.overdue", { days: days(plan.review_overdue_days) })}</Tag>
            </p>
          )}
          {plan.open_review_requests.length > 0 && (
            <>
              <h3 class="govuk-heading-m">{st("plan.reviewRequests")}</h3>
              <ul class="govuk-list govuk-list--bullet">
                {plan.open_review_requests.map((r) => (
                  <li key={r.id}>
                    {st("myDay.reviews.item", {
                      who: r.requested_by_role.replace("_", " "),
                      requested: formatDate(r.requested_on),
                      reason: r.reason,
                      due: formatDate(r.due_on),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
          {plan.in_progress === null && (
            <StartDraft id={id} hasAgreed={plan.current !== null} dueOn={plan.first_plan_due_on} onStarted={resource.reload} />
          )}
          {plan.in_progress && plan.in_progress.state === "awaiting_approval" && (
            <>
              <p class="govuk-inset-text">{st("planEdit.awaitingApproval")}</p>
              <VersionView version={plan.in_progress} heading={st("plan.inProgress", { n: plan.in_progress.number })} />
            </>
          )}
          {plan.in_progress && plan.in_progress.state !== "awaiting_approval" && (
            <section class="govuk-!-margin-bottom-8" aria-labelledby="plan-editing">
              <h3 class="govuk-heading-m" id="plan-editing">
                {st("plan.inProgress", { n: plan.in_progress.number })}{" "}
                <Tag colour={plan.in_progress.state === "draft" ? "grey" : "blue"}>{st(stKey("plan.state", plan.in_progress.state))}</Tag>
              </h3>
              <PlanEditor
                key={`${plan.in_progress.number}:${plan.in_progress.state}`}
                id={id}
                version={plan.in_progress}
                onShared={resource.reload}
              />
            </section>
          )}
          {plan.current && (
            <>
              <VersionView version={plan.current} heading={st("plan.current", { n: plan.current.number })} />
              <CopyGiven id={id} version={plan.current} onGiven={resource.reload} />
            </>
          )}
          <PlanHistory id={id} />
        </>
      )}
    </Section>
  );
}

function StartDraft(props: { id: string; hasAgreed: boolean; dueOn: string | null; onStarted: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async (copyLatest: boolean) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.POST("/api/v1/young-people/{yp}/plan/draft", { params: { path: { yp: props.id } }, body: { copy_latest: copyLatest } }));
      props.onStarted();
    } catch (err) {
      setError(err instanceof ApiError ? err : offlineError());
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {!props.hasAgreed && (
        <p class="govuk-body">{props.dueOn ? st("plan.none", { date: formatDate(props.dueOn) }) : st("plan.noneNoDate")}</p>
      )}
      {error && <ProblemView error={error} retry={() => setError(null)} />}
      <div class="govuk-button-group">
        {props.hasAgreed && (
          <button type="button" class="govuk-button" disabled={busy} onClick={() => void start(true)}>
            {st("planEdit.startCopy")}
          </button>
        )}
        <button type="button" class={`govuk-button${props.hasAgreed ? " govuk-button--secondary" : ""}`} disabled={busy} onClick={() => void start(false)}>
          {st("planEdit.startBlank")}
        </button>
      </div>
    </>
  );
}
