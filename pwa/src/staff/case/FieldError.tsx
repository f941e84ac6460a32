import { st } from "../../i18n/staff.en";

/** A GOV.UK error message under a label, with the id its input's aria-describedby points to. */
export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="govuk-error-message" id={`${id}-error`}>
      <span class="govuk-visually-hidden">{st("form.errorPrefix")} </span>
      {text}
    </p>
  );
}
