import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";

export interface SummaryItem {
  /** The id of the input the message is about (422 `errors[].field`), if any. */
  field?: string;
  text: string;
}

/** govuk-frontend's error summary, focused when it appears, each item linking to its input. */
export function ErrorSummary({ items }: { items: readonly SummaryItem[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, [items]);
  if (items.length === 0) return null;
  const jump = (field: string) => (event: MouseEvent) => {
    const input = document.getElementById(field);
    if (!input) return;
    event.preventDefault();
    input.scrollIntoView({ block: "center" });
    input.focus();
  };
  return (
    <div class="govuk-error-summary" ref={box} tabIndex={-1} role="alert" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{t("error.title")}</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {items.map((item) => (
              <li key={`${item.field ?? ""}:${item.text}`}>
                {item.field ? (
                  <a href={`#${item.field}`} onClick={jump(item.field)}>
                    {item.text}
                  </a>
                ) : (
                  item.text
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
