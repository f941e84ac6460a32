import type { ApiError } from "../api/errors";
import { t } from "../i18n";
import { problemText } from "./problem";

/** A screen that could not load and has nothing to show instead. */
export function ProblemView({ error, retry }: { error: ApiError; retry: () => void }) {
  const canRetry = error.kind !== "not_found" && error.kind !== "forbidden";
  return (
    <div>
      <p class="govuk-body">{problemText(error)}</p>
      {canRetry && (
        <button type="button" class="govuk-button govuk-button--secondary" onClick={retry}>
          {error.kind === "changed" ? t("app.reload") : t("app.tryAgain")}
        </button>
      )}
    </div>
  );
}
