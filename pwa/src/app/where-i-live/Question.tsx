import type { ComponentChildren } from "preact";
import { t } from "../../i18n";
import { ErrorSummary } from "../../ui/ErrorSummary";
import { Link } from "../../ui/Link";

interface Props {
  back: string;
  error: string | null;
  /** The input the error summary links to. */
  errorField: string;
  onContinue: () => void;
  children: ComponentChildren;
}

/** One question page (GOV.UK's question pages pattern): back, the question, Continue. */
export function Question({ back, error, errorField, onContinue, children }: Props) {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <Link href={back} class="govuk-back-link">
          {t("app.back")}
        </Link>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onContinue();
          }}
        >
          <ErrorSummary items={error ? [{ field: errorField, text: error }] : []} />
          {children}
          <button type="submit" class="govuk-button">
            {t("concern.continue")}
          </button>
        </form>
      </div>
    </div>
  );
}
