import type { ComponentChildren } from "preact";
import { t } from "../../i18n";
import { ProblemView } from "../../ui/ProblemView";
import type { Resource } from "../../ui/useResource";

/** One tab's states: loading keeps the last render, errors say what to do. */
export function Section<T>({
  title,
  resource,
  children,
  level = 2,
}: {
  title: string;
  /** 3 for a list under a form in the same tab. */
  level?: 2 | 3;
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
}) {
  const { data, loading, error, reload } = resource;
  return (
    <>
      {level === 2 ? <h2 class="govuk-heading-m">{title}</h2> : <h3 class="govuk-heading-s">{title}</h3>}
      <p class="govuk-body-s app-status" role="status" aria-live="polite">
        {loading ? (data === undefined ? t("app.loading") : t("app.updating")) : ""}
      </p>
      {error !== null && error.kind !== "signed_out" && <ProblemView error={error} retry={reload} />}
      {data !== undefined && children(data)}
    </>
  );
}
