import { useState } from "preact/hooks";
import { api, call, type components, type Fetched } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { problemText } from "../../ui/problem";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { ago, formatDate } from "../format";
import { Downloads } from "./Downloads";
import { Reassign } from "./Reassign";
import "../manager.scss";

type S = components["schemas"];

interface QueuesData {
  plans: S["CaseloadPlanRow"][];
  reviews: S["ReviewRequestRead"][] | null;
  flags: S["FlagRead"][] | null;
  failed: S["FailedNotification"][] | null;
}

async function load(): Promise<Fetched<QueuesData>> {
  // One list failing leaves the others on the screen, with a line saying which did not load.
  const [plans, reviews, flags, failed] = await Promise.all([
    call(api.GET("/api/v1/plans/caseload", { params: { query: { mine: false } } })),
    call(api.GET("/api/v1/plans/review-requests")).catch(() => null),
    call(api.GET("/api/v1/messages/flagged")).catch(() => null),
    call(api.GET("/api/v1/notifications/failed")).catch(() => null),
  ]);
  return {
    data: { plans: plans.data, reviews: reviews?.data ?? null, flags: flags?.data ?? null, failed: failed?.data ?? null },
    savedAt: null,
    etag: null,
  };
}

/** The manager's queues: what waits for them or went wrong, and the returns they send. */
export function Queues() {
  const resource = useResource("staff:queues", load);
  return (
    <Screen title={st("queues.title")} resource={resource}>
      {(data) => {
        const names = new Map(data.plans.map((p) => [p.young_person_id, p.full_name]));
        const person = (id: string | null | undefined) =>
          id ? <Link href={`/staff/young-people/${id}`}>{names.get(id) ?? st("queues.someone")}</Link> : st("queues.noPerson");
        const approvals = data.plans.filter((p) => p.in_progress_state === "awaiting_approval");
        return (
          <>
            <nav class="manager-contents" aria-label={st("queues.contents")}>
              <ul class="govuk-list">
                {(["approvals", "reviews", "flags", "failed", "reassign", "downloads"] as const).map((k) => (
                  <li key={k}>
                    <a class="govuk-link" href={`#queue-${k}`}>
                      {st(`queues.${k}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <section aria-labelledby="queue-approvals" class="staff-group">
              <h2 class="govuk-heading-m" id="queue-approvals">
                {st("queues.approvals")} <span class="govuk-tag govuk-tag--grey">{approvals.length}</span>
              </h2>
              {approvals.length === 0 ? (
                <p class="govuk-body">{st("queues.noApprovals")}</p>
              ) : (
                <ul class="govuk-list">
                  {approvals.map((p) => (
                    <Approval key={p.young_person_id} row={p} onDone={resource.reload} />
                  ))}
                </ul>
              )}
            </section>
            <Queue id="reviews" items={data.reviews}>
              {(data.reviews ?? []).map((r) => (
                <li key={r.id} class="staff-item">
                  {person(r.young_person_id)}: {r.reason}
                  <p class="staff-item__detail">
                    {st("queues.review", { who: r.requested_by_role, on: formatDate(r.requested_on), due: formatDate(r.due_on) })}
                  </p>
                </li>
              ))}
            </Queue>
            <Queue id="flags" items={data.flags}>
              {(data.flags ?? []).map((f) => (
                <li key={f.id} class="staff-item">
                  <Link href={`/staff/young-people/${f.young_person_id}#messages`}>{f.young_person_name}</Link>: {f.message_body}
                  <p class="staff-item__detail">{st("queues.flag", { by: f.flagged_by, when: ago(f.created_at), reason: f.reason })}</p>
                </li>
              ))}
            </Queue>
            <Queue id="failed" items={data.failed}>
              {(data.failed ?? []).map((n) => (
                <li key={n.id} class="staff-item">
                  {person(n.young_person_id)}: {st("queues.notice", { template: n.template, channel: n.channel, attempts: n.attempts })}
                  <p class="staff-item__detail">
                    {ago(n.created_at)}
                    {n.last_error ? ` · ${n.last_error}` : ""}
                  </p>
                </li>
              ))}
            </Queue>
            <Reassign />
            <Downloads />
          </>
        );
      }}
    </Screen>
  );
}

function Queue({ id, items, children }: { id: "reviews" | "flags" | "failed"; items: unknown[] | null; children: preact.ComponentChildren }) {
  return (
    <section aria-labelledby={`queue-${id}`} class="staff-group">
      <h2 class="govuk-heading-m" id={`queue-${id}`}>
        {st(`queues.${id}`)} {items !== null && <span class="govuk-tag govuk-tag--grey">{items.length}</span>}
      </h2>
      {items === null ? (
        <p class="govuk-body">{st("queues.failedToLoad")}</p>
      ) : items.length === 0 ? (
        <p class="govuk-body">{st(`queues.${id}.none`)}</p>
      ) : (
        <ul class="govuk-list staff-items">{children}</ul>
      )}
    </section>
  );
}

/** A plan the young person agreed, waiting for sign-off: read its version, then approve that one. */
function Approval({ row, onDone }: { row: S["CaseloadPlanRow"]; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approve = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const plan = await call(api.GET("/api/v1/young-people/{yp}/plan", { params: { path: { yp: row.young_person_id } } }));
      const version = plan.data.in_progress;
      if (!version || version.state !== "awaiting_approval") {
        onDone();
        return;
      }
      await call(
        api.POST("/api/v1/young-people/{yp}/plan/versions/{n}/approve", {
          params: { path: { yp: row.young_person_id, n: version.number } },
        }),
      );
      onDone();
    } catch (e) {
      setError(problemText(e instanceof ApiError ? e : offlineError()));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="staff-item manager-approval">
      <Link href={`/staff/young-people/${row.young_person_id}#plan`}>{row.full_name}</Link>
      {row.latest_agreed_on && <span class="govuk-body-s"> · {st("queues.lastAgreed", { date: formatDate(row.latest_agreed_on) })}</span>}
      <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 manager-approval__button" disabled={busy} onClick={() => void approve()}>
        {st("queues.approve")}
        <span class="govuk-visually-hidden"> {row.full_name}</span>
      </button>
      {error && (
        <p class="govuk-error-message" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
