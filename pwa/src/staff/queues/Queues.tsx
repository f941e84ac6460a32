import { api, call, type components, type Fetched } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { ago, formatDate } from "../format";
import { Approvals } from "./Approvals";
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
            <Approvals rows={approvals} onApproved={resource.reload} />
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
