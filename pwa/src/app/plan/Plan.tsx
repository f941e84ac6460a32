import { useEffect, useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { formatDate, t } from "../../i18n";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { PlanSection } from "./PlanSection";
import { SectionAnswer } from "./SectionAnswer";

const loadPlan = () => call(api.GET("/api/v1/young-people/{yp}/plan", { params: { path: { yp: "me" } } }));

/**
 * Reading the plan (or the service worker keeping it fresh) records nothing: the young person
 * opening an agreed version on screen is what counts as their copy, so say so once per opening.
 * Offline it fails quietly; the next opening tries again.
 */
function useOpened(agreedNumber: number | null): void {
  useEffect(() => {
    if (agreedNumber === null) return;
    void call(api.POST("/api/v1/young-people/{yp}/plan/versions/{n}/opened", { params: { path: { yp: "me", n: agreedNumber } } })).catch(
      () => undefined,
    );
  }, [agreedNumber]);
}

/** Your plan: the version waiting for an answer first, else the agreed one; sections; PDF. */
export function Plan() {
  const plan = useResource("plan", loadPlan);
  const [readAgreed, setReadAgreed] = useState(false);
  const p0 = plan.data;
  const waiting0 = p0?.in_progress?.state === "awaiting_response" ? p0.in_progress : null;
  const shown0 = readAgreed ? (p0?.current ?? null) : (waiting0 ?? p0?.current ?? null);
  useOpened(shown0?.state === "agreed" ? shown0.number : null);
  return (
    <Screen title={t("plan.title")} resource={plan}>
      {(p) => {
        const waiting = !readAgreed && p.in_progress?.state === "awaiting_response" ? p.in_progress : null;
        const shown = waiting ?? p.current;
        if (!shown) return <p class="govuk-body">{p.first_plan_due_on ? t("plan.none", { date: formatDate(p.first_plan_due_on) }) : t("plan.noneNoDate")}</p>;
        // Only an agreed version has a PDF: the current one, even while a newer one waits.
        const pdf = p.current ? `/api/v1/young-people/me/plan/versions/${p.current.number}/pdf` : null;
        return (
          <>
            {waiting && (
              <div class="govuk-notification-banner" role="region" aria-labelledby="plan-waiting">
                <div class="govuk-notification-banner__header">
                  <h2 class="govuk-notification-banner__title" id="plan-waiting">
                    {t("plan.title")}
                  </h2>
                </div>
                <div class="govuk-notification-banner__content">
                  <p class="govuk-notification-banner__heading">{t("plan.waiting")}</p>
                </div>
              </div>
            )}
            {waiting && p.current && (
              <p class="govuk-body">
                <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setReadAgreed(true)}>
                  {t("plan.readAgreed", { n: p.current.number })}
                </button>
              </p>
            )}
            {readAgreed && p.in_progress?.state === "awaiting_response" && (
              <p class="govuk-body">
                <button type="button" class="govuk-button" onClick={() => setReadAgreed(false)}>
                  {t("plan.readWaiting")}
                </button>
              </p>
            )}
            {p.review_overdue_days > 0 ? (
              <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">
                  !
                </span>
                <strong class="govuk-warning-text__text">{t("plan.overdue", { days: p.review_overdue_days })}</strong>
              </div>
            ) : (
              p.next_review_due_on && <p class="govuk-body">{t("plan.reviewOn", { date: formatDate(p.next_review_due_on) })}</p>
            )}
            <p class="govuk-caption-m">
              {shown.agreed_on ? t("plan.version", { n: shown.number, date: formatDate(shown.agreed_on) }) : t("plan.versionDraft", { n: shown.number })}
            </p>
            {shown.sections.map((section) => (
              <PlanSection key={section.code} version={shown} section={section} answerable={waiting !== null} onAnswered={plan.reload} />
            ))}
            {waiting && <SectionAnswer version={waiting.number} section={null} legend={t("plan.waiting")} onAnswered={plan.reload} />}
            {pdf && (
              <>
                <p class="govuk-body">
                  <a class="govuk-link" href={pdf} download>
                    {t("plan.pdf")}
                  </a>
                </p>
                <p class="govuk-hint">{t("plan.pdfWarning")}</p>
              </>
            )}
          </>
        );
      }}
    </Screen>
  );
}
