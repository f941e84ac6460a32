import { useEffect, useRef, useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { problemText } from "../../ui/problem";
import { formatDate } from "../format";

type Row = components["schemas"]["CaseloadPlanRow"];
interface Approved {
  id: string;
  name: string;
}

/**
 * Plans the young person agreed that wait for a manager (where the council requires it). An
 * approved plan leaves the list, so the banner that says so takes the focus the button had.
 */
export function Approvals({ rows, onApproved }: { rows: Row[]; onApproved: () => void }) {
  const [approved, setApproved] = useState<Approved | null>(null);
  const banner = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (approved) banner.current?.focus();
  }, [approved]);
  return (
    <section aria-labelledby="queue-approvals" class="staff-group">
      <h2 class="govuk-heading-m" id="queue-approvals">
        {st("queues.approvals")} <span class="govuk-tag govuk-tag--grey">{rows.length}</span>
      </h2>
      {approved && (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="status" tabIndex={-1} ref={banner}>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{st("queues.approved", { name: approved.name })}</p>
            <p class="govuk-body">
              <Link href={`/staff/young-people/${approved.id}#plan`}>{st("queues.openPlan", { name: approved.name })}</Link>
            </p>
          </div>
        </div>
      )}
      {rows.length === 0 ? (
        <p class="govuk-body">{st("queues.noApprovals")}</p>
      ) : (
        <ul class="govuk-list">
          {rows.map((p) => (
            <Approval
              key={p.young_person_id}
              row={p}
              onDone={(done) => {
                if (done) setApproved({ id: p.young_person_id, name: p.full_name });
                onApproved();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** A plan the young person agreed, waiting for sign-off: read its version, then approve that one. */
function Approval({ row, onDone }: { row: Row; onDone: (approved: boolean) => void }) {
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
        // Someone else approved it, or it went back to the PA: the list is out of date.
        onDone(false);
        return;
      }
      await call(
        api.POST("/api/v1/young-people/{yp}/plan/versions/{n}/approve", {
          params: { path: { yp: row.young_person_id, n: version.number } },
        }),
      );
      onDone(true);
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
