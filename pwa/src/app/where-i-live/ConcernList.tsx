import { api, call } from "../../api/client";
import { formatDate, formatDateTime, t } from "../../i18n";
import { ProblemView } from "../../ui/ProblemView";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";

const loadConcerns = () => call(api.GET("/api/v1/young-people/{yp}/accommodation-concerns", { params: { path: { yp: "me" } } }));

/** The problems the young person raised, newest first, with what was done and how it ended. */
export function ConcernList() {
  const concerns = useResource("accommodation-concerns", loadConcerns);
  const list = concerns.data;
  if (list === undefined) {
    return concerns.error ? (
      <ProblemView error={concerns.error} retry={concerns.reload} />
    ) : (
      <p class="govuk-body" role="status">
        {t("app.loading")}
      </p>
    );
  }
  if (list.length === 0) return <p class="govuk-body">{t("concern.empty")}</p>;
  return (
    <ul class="govuk-list app-concerns">
      {list.map((c) => (
        <li key={c.id} class="app-concern">
          <h3 class="govuk-heading-s">
            {t(`concern.category.${c.category}`)}{" "}
            <Tag colour={c.status === "closed" ? "green" : c.status === "acknowledged" ? "blue" : "yellow"}>{t(`concern.status.${c.status}`)}</Tag>
          </h3>
          <p class="govuk-body-s">{t("concern.raisedOn", { date: formatDate(c.raised_at.slice(0, 10)) })}</p>
          <p class="govuk-body app-prewrap" dir="auto">
            {c.text}
          </p>
          {c.actions.length > 0 && (
            <details class="govuk-details">
              <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">{t("concern.done", { count: c.actions.length })}</span>
              </summary>
              <div class="govuk-details__text">
                <ul class="govuk-list">
                  {c.actions.map((a) => (
                    <li key={a.at}>
                      <span class="govuk-body-s">
                        <bdi>{formatDateTime(new Date(a.at))}</bdi>
                        {a.by && (
                          <>
                            {" · "}
                            <bdi>{a.by}</bdi>
                          </>
                        )}
                      </span>
                      <br />
                      <span class="app-prewrap" dir="auto">
                        {a.note}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            </details>
          )}
          {c.outcome && (
            <p class="govuk-inset-text">
              <strong>{t("concern.outcome")}</strong> <span dir="auto">{c.outcome}</span>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
