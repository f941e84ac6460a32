import type { ComponentChildren } from "preact";
import { t } from "../../i18n";
import { ProblemView } from "../../ui/ProblemView";
import type { Resource } from "../../ui/useResource";

/** One tab's states: loading keeps the last render, errors say what to do. */
export function Section<T>({
  title,
  resource,
  children,
}: {
  title: string;
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
}) {
  const { data, loading, error, reload } = resource;
  return (
    <>
      <h2 class="govuk-heading-l">{title}</h2>
      <p class="govuk-body-s app-status" role="status" aria-live="polite">
        {loading ? (data === undefined ? t("app.loading") : t("app.updating")) : ""}
      </p>
      {error !== null && error.kind !== "signed_out" && <ProblemView error={error} retry={reload} />}
      {data !== undefined && children(data)}
    </>
  );
}
