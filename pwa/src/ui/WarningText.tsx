import type { ComponentChildren } from "preact";

/** govuk-frontend's warning text. */
export function WarningText({ children }: { children: ComponentChildren }) {
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">{children}</strong>
    </div>
  );
}
