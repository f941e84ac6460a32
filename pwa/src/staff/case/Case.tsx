import { useEffect, useRef, useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { st, stKey, type StaffKey } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { ContactTab } from "./ContactTab";
import { DocumentsTab } from "./DocumentsTab";
import { HomeTab } from "./HomeTab";
import { MessagesTab } from "./MessagesTab";
import { MoneyTab } from "./MoneyTab";
import { PlanTab } from "./PlanTab";
import { RecordsTab } from "./RecordsTab";

type Section = "messages" | "plan" | "documents" | "contact" | "records" | "money" | "home";
const SECTIONS: readonly { key: Section; label: StaffKey }[] = [
  { key: "messages", label: "case.tab.messages" },
  { key: "plan", label: "case.tab.plan" },
  { key: "documents", label: "case.tab.documents" },
  { key: "contact", label: "case.tab.contact" },
  { key: "records", label: "case.tab.records" },
  { key: "money", label: "case.tab.money" },
  { key: "home", label: "case.tab.home" },
];
const isSection = (value: string): value is Section => SECTIONS.some((s) => s.key === value);

/**
 * A young person's case: the record's header, then one section at a time. A section loads only
 * when opened, because each staff GET is a line in the young person's "who looked at my record".
 */
export function Case({ id, section }: { id: string; section: string }) {
  // The overview is one read (one line in their access log); sections load when opened.
  const overview = useResource(`staff:overview:${id}`, () => call(api.GET("/api/v1/young-people/{yp}/overview", { params: { path: { yp: id } } })));
  const [open, setOpen] = useState<Section>(isSection(section) ? section : "messages");
  useEffect(() => {
    if (isSection(section)) setOpen(section);
  }, [section]);
  const tabs = useRef<(HTMLAnchorElement | null)[]>([]);

  const choose = (next: Section, focus = false) => {
    setOpen(next);
    history.replaceState(null, "", `#${next}`);
    if (focus) tabs.current[SECTIONS.findIndex((s) => s.key === next)]?.focus();
  };
  // The govuk tabs pattern: arrow keys move between tabs, Tab moves into the panel.
  const onKey = (e: KeyboardEvent) => {
    const at = SECTIONS.findIndex((s) => s.key === open);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = SECTIONS[(at + step + SECTIONS.length) % SECTIONS.length];
    if (next) choose(next.key, true);
  };

  return (
    <>
      <Link href="/staff/caseload" class="govuk-back-link">
        {st("case.back")}
      </Link>
      <Screen title={overview.data?.record.full_name ?? st("caseload.title")} resource={overview}>
        {({ record: yp, ...ov }) => (
          <>
            {ov.duty_cover && <p class="govuk-inset-text">{st("case.cover")}</p>}
            <div class="govuk-grid-row staff-case-header">
              <div class="govuk-grid-column-one-half">
                <dl class="govuk-summary-list govuk-summary-list--no-border">
                  <Row label="case.id" value={yp.external_id} />
                  <Row label="case.dob" value={`${formatDate(yp.date_of_birth)} (${st("case.age")} ${yp.age})`} />
                  <Row
                    label="case.status"
                    value={
                      yp.status_override && yp.status_override_reason
                        ? st("case.statusReason", { status: st(stKey("status", yp.status_override)), reason: yp.status_override_reason })
                        : st(stKey("status", yp.status ?? "none"))
                    }
                  />
                  <Row label="case.account" value={st(yp.has_account ? "case.accountYes" : "case.accountNo")} />
                  <Row label="case.invite" value={st(stKey("case.invite", yp.invite.state))} />
                </dl>
              </div>
              <div class="govuk-grid-column-one-half">
                <dl class="govuk-summary-list govuk-summary-list--no-border">
                  <Row label="case.pa" value={yp.personal_adviser?.name ?? st("case.none")} />
                  <Row label="case.team" value={yp.team?.name ?? st("case.none")} />
                  <Row label="case.contact" value={[yp.mobile, yp.email].filter(Boolean).join(", ") || st("case.none")} />
                  <Row
                    label="case.review"
                    value={ov.plan.next_review_due_on ? formatDate(ov.plan.next_review_due_on) : st("caseload.noReview")}
                  />
                  <Row label="case.documents" value={st("case.documentsProgress", { done: ov.documents.done, applicable: ov.documents.applicable })} />
                  <Row label="case.unread" value={String(ov.unread)} />
                  <Row label="case.concerns" value={String(ov.open_concerns.length)} />
                  <Row label="case.followUps" value={ov.follow_ups.map((f) => f.subject).join("; ") || st("case.none")} />
                  <Row
                    label="case.checkIns"
                    value={
                      ov.check_in_rhythm.every_days === null
                        ? st("case.none")
                        : st(ov.check_in_rhythm.due ? "case.checkInsDue" : "case.checkInsEvery", { days: ov.check_in_rhythm.every_days })
                    }
                  />
                </dl>
                <button
                  type="button"
                  class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                  onClick={() => {
                    choose("contact");
                    requestAnimationFrame(() => document.getElementById("contact-contact_on")?.focus());
                  }}
                >
                  {st("case.recordContact")}
                </button>
              </div>
            </div>
            <div class="govuk-tabs" data-module="govuk-tabs">
              <h2 class="govuk-tabs__title">{st("case.sections")}</h2>
              <ul class="govuk-tabs__list" role="tablist" onKeyDown={onKey}>
                {SECTIONS.map((s, i) => (
                  <li
                    key={s.key}
                    class={`govuk-tabs__list-item${open === s.key ? " govuk-tabs__list-item--selected" : ""}`}
                    role="presentation"
                  >
                    <a
                      class="govuk-tabs__tab"
                      href={`#${s.key}`}
                      id={`tab_${s.key}`}
                      role="tab"
                      aria-controls={s.key}
                      aria-selected={open === s.key}
                      tabIndex={open === s.key ? 0 : -1}
                      ref={(el) => {
                        tabs.current[i] = el;
                      }}
                      onClick={(e) => {
                        e.preventDefault();
                        choose(s.key);
                      }}
                    >
                      {st(s.label)}
                    </a>
                  </li>
                ))}
              </ul>
              <div class="govuk-tabs__panel" id={open} role="tabpanel" aria-labelledby={`tab_${open}`}>
                {open === "messages" && <MessagesTab id={id} name={yp.preferred_name ?? yp.given_name} />}
                {open === "plan" && <PlanTab id={id} />}
                {open === "documents" && <DocumentsTab id={id} />}
                {open === "contact" && <ContactTab id={id} />}
                {open === "records" && <RecordsTab id={id} />}
                {open === "money" && <MoneyTab id={id} />}
                {open === "home" && <HomeTab id={id} />}
              </div>
            </div>
          </>
        )}
      </Screen>
    </>
  );
}

function Row({ label, value }: { label: StaffKey; value: string }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{st(label)}</dt>
      <dd class="govuk-summary-list__value">{value}</dd>
    </div>
  );
}
