import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError } from "../../api/errors";
import { formatDate, lang, t } from "../../i18n";
import { online } from "../../ui/network";
import { problemText } from "../../ui/problem";
import { Tag } from "../../ui/Tag";
import { documentWords, nextStep } from "./words";

type Item = components["schemas"]["ChecklistItem"];
type Checklist = components["schemas"]["Checklist"];
type Says = components["schemas"]["YoungPersonSays"];
const COLOUR = { not_started: "grey", requested: "blue", in_progress: "light-blue", with_young_person: "green", not_applicable: "grey" } as const;

interface Props {
  item: Item;
  onChanged: (checklist: Checklist) => void;
  onStale: () => void;
}

/** One document: state, due date, why/how/next, and "I have it" / "I need help" (If-Match). */
export function DocumentItem({ item, onChanged, onStale }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const say = async (says: Says) => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await call(
        api.PATCH("/api/v1/young-people/{yp}/documents/{type}", {
          params: { path: { yp: "me", type: item.key }, header: { "if-match": item.etag } },
          body: { young_person_says: says },
        }),
      );
      onChanged(data);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setError(problemText(e));
      if (e.kind === "changed") onStale();
    } finally {
      setBusy(false);
    }
  };
  const done = item.state === "with_young_person" || item.state === "not_applicable";
  const name = documentWords(item.wording_code, "name", item.name);
  const why = documentWords(item.wording_code, "why", item.why_it_matters);
  const how = documentWords(item.wording_code, "how", item.how_to_get_it);
  const next = nextStep(item, formatDate);
  return (
    <li class="govuk-task-list__item app-document">
      <div class="govuk-task-list__name-and-hint">
        <h2 class="govuk-heading-s govuk-!-margin-bottom-1" lang={name.lang}>
          {name.text}
        </h2>
        <div class="govuk-task-list__hint">{t("documents.due", { date: formatDate(item.due_on) })}</div>
      </div>
      <div class="govuk-task-list__status">
        <Tag colour={item.overdue && !done ? "red" : COLOUR[item.state]}>
          {item.overdue && !done ? t("documents.overdue") : t(`documents.state.${item.state}`)}
        </Tag>
      </div>
      {!done && (
        <div class="app-document__more">
          <details class="govuk-details">
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">{t("documents.why")}</span>
            </summary>
            <div class="govuk-details__text">
              <p class="govuk-body" lang={why.lang}>
                {why.text}
              </p>
              <h3 class="govuk-heading-s">{t("documents.how")}</h3>
              <p class="govuk-body" lang={how.lang}>
                {how.text}
              </p>
              <h3 class="govuk-heading-s">{t("documents.next")}</h3>
              <p class="govuk-body" lang={next.lang}>
                {next.text}
              </p>
              {[name, why, how, next].some((w) => w.lang !== lang.value) && <p class="govuk-hint">{t("documents.ownWords")}</p>}
            </div>
          </details>
          {item.says_has_it && <p class="govuk-inset-text">{t("documents.toldHaveIt")}</p>}
          {item.help_requested && <p class="govuk-inset-text">{t("documents.toldNeedHelp")}</p>}
          {error && <p class="govuk-error-message">{error}</p>}
          {!online.value && <p class="govuk-hint">{t("app.offlineFormDisabled")}</p>}
          <div class="govuk-button-group">
            {!item.says_has_it && (
              <button type="button" class="govuk-button" disabled={busy || !online.value} onClick={() => void say("have_it")}>
                {t("documents.haveIt")}
              </button>
            )}
            {!item.help_requested && (
              <button type="button" class="govuk-button govuk-button--secondary" disabled={busy || !online.value} onClick={() => void say("need_help")}>
                {t("documents.needHelp")}
              </button>
            )}
          </div>
        </div>
      )}
    </li>
  );
}
