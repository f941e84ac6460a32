import { api, call } from "../../api/client";
import { t } from "../../i18n";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { DocumentItem } from "./DocumentItem";

const loadChecklist = () => call(api.GET("/api/v1/young-people/{yp}/documents", { params: { path: { yp: "me" } } }));

/** Documents by 18: x of y, then each document by due date. */
export function Documents() {
  const checklist = useResource("documents", loadChecklist);
  return (
    <Screen title={t("documents.title")} resource={checklist}>
      {(c) => {
        const items = c.items.filter((i) => !i.retired).sort((a, b) => a.due_on.localeCompare(b.due_on));
        if (items.length === 0) return <p class="govuk-body">{t("documents.empty")}</p>;
        return (
          <>
            <p class="govuk-body-l">{t("documents.count", { done: c.done, total: c.applicable })}</p>
            {c.done >= c.applicable && <div class="govuk-panel govuk-panel--confirmation app-panel--small"><p class="govuk-panel__body">{t("documents.allDone")}</p></div>}
            <ul class="govuk-task-list">
              {items.map((item) => (
                <DocumentItem key={item.key} item={item} onChanged={checklist.replace} onStale={checklist.reload} />
              ))}
            </ul>
          </>
        );
      }}
    </Screen>
  );
}
