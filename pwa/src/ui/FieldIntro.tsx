/**
 * What stands above a govuk-frontend input: its label, its hint and its error, with the ids the
 * input's aria-describedby names (`describedBy`), so every text box says them the same way.
 */
export function FieldIntro(props: { id: string; label: string; hint?: string | undefined; error?: string | undefined; labelClass?: string; errorPrefix?: string }) {
  const { id, label, hint, error, labelClass = "govuk-label", errorPrefix } = props;
  return (
    <>
      <label class={labelClass} for={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="govuk-hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} class="govuk-error-message">
          {errorPrefix && <span class="govuk-visually-hidden">{errorPrefix} </span>}
          {error}
        </p>
      )}
    </>
  );
}

/** The input's aria-describedby: its hint and error, when there are any. */
export const describedBy = (id: string, hint?: string, error?: string): string | undefined =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
