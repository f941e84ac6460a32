import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { formatDateTime, t } from "../../i18n";
import { online } from "../../ui/network";
import { Pagination } from "../../ui/Pagination";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { WarningText } from "../../ui/WarningText";
import { describeAction, roleKey } from "./describe";

const PAGE_SIZE = 20;
const EXPORT = "/api/v1/young-people/me/export";

/**
 * Your records: which staff looked at or changed your record, and a download of everything.
 * Neither is ever kept by the service worker (UX.md §5): offline, this screen says so.
 */
export function Records() {
  const [page, setPage] = useState(1);
  const log = useResource(`access-log:${page}`, () =>
    call(api.GET("/api/v1/young-people/{yp}/access-log", { params: { path: { yp: "me" }, query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
  );
  return (
    <>
      <Screen title={t("records.title")} resource={log}>
        {(l) =>
          l.total === 0 ? (
            <p class="govuk-body">{t("records.empty")}</p>
          ) : (
            <>
              <table class="govuk-table app-records">
                <caption class="govuk-table__caption govuk-table__caption--m">{t("records.caption")}</caption>
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">
                      {t("records.when")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {t("records.who")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {t("records.what")}
                    </th>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  {l.items.map((entry, i) => {
                    const { verb, area } = describeAction(entry.action);
                    return (
                      <tr key={`${entry.at}:${i}`} class="govuk-table__row">
                        <td class="govuk-table__cell">
                          <bdi>{formatDateTime(new Date(entry.at))}</bdi>
                        </td>
                        <td class="govuk-table__cell">
                          <bdi>{entry.staff_name}</bdi>
                          <br />
                          <span class="govuk-body-s">{t(roleKey(entry.staff_role))}</span>
                        </td>
                        <td class="govuk-table__cell">{t(verb, { what: t(area) })}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <Pagination page={page} pages={Math.max(1, Math.ceil(l.total / PAGE_SIZE))} onPage={setPage} />
            </>
          )
        }
      </Screen>
      <h2 class="govuk-heading-m">{t("records.downloadTitle")}</h2>
      <p class="govuk-body">{t("records.downloadLead")}</p>
      <WarningText>{t("records.downloadWarning")}</WarningText>
      {online.value ? (
        <a class="govuk-button govuk-button--secondary" href={EXPORT} download>
          {t("records.download")}
        </a>
      ) : (
        <p class="govuk-inset-text">{t("app.offlineFormDisabled")}</p>
      )}
    </>
  );
}
