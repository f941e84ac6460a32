import { formatDate, formatList, isolated, lang, t } from "../../i18n";
import { documentWords } from "../documents/words";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { TaskList, type Task } from "../../ui/TaskList";
import { useResource } from "../../ui/useResource";
import { loadSummary, summaryKey } from "../summary";

/** Home: what needs me, from GET /young-people/me/summary in one call. */
export function Home() {
  const summary = useResource(summaryKey, loadSummary);
  const title = summary.data ? t("home.hello", { name: summary.data.given_name }) : t("app.home");
  return (
    <Screen title={title} resource={summary}>
      {(s) => {
        const tasks: Task[] = [];
        // The council's own name for a document is English: left out of a screen in another language.
        const due = s.next_document_due ? documentWords(s.next_document_due.wording_code, "name", s.next_document_due.name) : null;
        const nextDue = due && due.lang === lang.value ? due : null;
        if (s.unread_messages > 0)
          tasks.push({ id: "unread", href: "/messages", name: t("home.unread"), status: <Tag colour="blue">{t("home.unreadCount", { count: s.unread_messages })}</Tag> });
        if (s.check_in_due) tasks.push({ id: "check-in", href: "/check-in", name: t("home.checkIn"), status: <Tag colour="yellow">{t("home.checkInDue")}</Tag> });
        if (s.plan_awaiting_answer)
          tasks.push({ id: "plan-answer", href: "/plan", name: t("home.planAnswer"), status: <Tag colour="yellow">{t("home.planAnswerTag")}</Tag> });
        if (s.rights_to_read.length > 0)
          tasks.push({
            id: "rights",
            href: "/rights",
            name: t("home.rights"),
            // Titles only when all are in the screen's language (a summary kept from before a
            // language change, or pages not translated yet, would put English here).
            hint: s.rights_to_read.every((r) => r.lang === lang.value) ? formatList(s.rights_to_read.map((r) => r.title)) : undefined,
            status: <Tag colour="blue">{t("home.rightsCount", { count: s.rights_to_read.length })}</Tag>,
          });
        if (s.next_plan_review_on)
          tasks.push({
            id: "plan",
            href: "/plan",
            name: t("home.planReview"),
            status: s.plan_review_overdue_days > 0 ? <Tag colour="red">{t("documents.overdue")}</Tag> : <Tag colour="grey">{t("home.planReviewOn", { date: formatDate(s.next_plan_review_on) })}</Tag>,
          });
        for (const action of s.actions_due_soon)
          tasks.push({
            id: `action-${action.id}`,
            href: "/plan",
            name: action.description,
            typed: true,
            status: <Tag colour={action.overdue ? "red" : "grey"}>{action.due_on ? t("home.actionDue", { date: formatDate(action.due_on) }) : t("plan.action.noDate")}</Tag>,
          });
        tasks.push({
          id: "documents",
          href: "/documents",
          name: t("home.documents"),
          hint: nextDue ? `${isolated(nextDue.text)}: ${isolated(formatDate(s.next_document_due?.due_on ?? ""))}` : undefined,
          status: <Tag colour={s.documents_done >= s.documents_applicable ? "green" : "grey"}>{t("home.documentsCount", { done: s.documents_done, total: s.documents_applicable })}</Tag>,
        });
        return (
          <>
            {s.plan_review_overdue_days > 0 && (
              <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">
                  !
                </span>
                <strong class="govuk-warning-text__text">{t("home.planOverdue", { days: s.plan_review_overdue_days })}</strong>
              </div>
            )}
            <p class="govuk-body">{s.personal_adviser ? t("home.yourPa", { name: s.personal_adviser.name }) : t("home.noPa")}</p>
            <p class="govuk-body">
              <Link href="/check-in" class="govuk-button app-button--large">
                {t("home.checkIn")}
              </Link>
            </p>
            <h2 class="govuk-heading-m">{t("home.needsYou")}</h2>
            <TaskList tasks={tasks} />
            <ul class="govuk-list">
              <li>
                <Link href="/money">{t("money.title")}</Link>
              </li>
              <li>
                <Link href="/where-i-live">{t("place.title")}</Link>
              </li>
              <li>
                <Link href="/records">{t("records.title")}</Link>
              </li>
            </ul>
          </>
        );
      }}
    </Screen>
  );
}
