import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { OfflineBanner } from "./OfflineBanner";
import { ProblemView } from "./ProblemView";
import type { Resource } from "./useResource";

interface Props<T> {
  title: string;
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
  /** Shown under the heading whatever the state (Get help now's 999). */
  lead?: ComponentChildren;
}

/**
 * One screen's frame and its states: loading keeps the last render with "Updating…" in a polite
 * live region; offline shows what was saved and when; errors say what to do.
 */
export function Screen<T>({ title, resource, children, lead }: Props<T>) {
  const { data, loading, error, savedAt, reload } = resource;
  return (
    <>
      {savedAt !== null && data !== undefined && <OfflineBanner savedAt={savedAt} />}
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {title}
      </h1>
      {lead}
      <p class="govuk-body-s app-status" role="status" aria-live="polite">
        {loading ? (data === undefined ? t("app.loading") : t("app.updating")) : ""}
      </p>
      {error !== null && data === undefined && error.kind !== "signed_out" && <ProblemView error={error} retry={reload} />}
      {error !== null && data !== undefined && error.kind !== "offline" && error.kind !== "signed_out" && (
        <ProblemView error={error} retry={reload} />
      )}
      {data !== undefined && children(data)}
    </>
  );
}
