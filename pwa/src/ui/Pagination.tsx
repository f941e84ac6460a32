import { t } from "../i18n";

interface Props {
  page: number;
  pages: number;
  onPage: (page: number) => void;
}

/** govuk-frontend's pagination, "Previous" and "Next" with "page x of y" (a short list fits a phone). */
export function Pagination({ page, pages, onPage }: Props) {
  if (pages <= 1) return null;
  const go = (to: number) => (event: MouseEvent) => {
    event.preventDefault();
    onPage(to);
    queueMicrotask(() => document.querySelector<HTMLElement>("main h1")?.focus());
  };
  return (
    <nav class="govuk-pagination govuk-pagination--block" aria-label={t("pagination.label")}>
      {page > 1 && (
        <div class="govuk-pagination__prev">
          <a class="govuk-link govuk-pagination__link" href={`?page=${page - 1}`} rel="prev" onClick={go(page - 1)}>
            <span class="govuk-pagination__link-title">{t("pagination.previous")}</span>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{t("pagination.of", { page: page - 1, pages })}</span>
          </a>
        </div>
      )}
      {page < pages && (
        <div class="govuk-pagination__next">
          <a class="govuk-link govuk-pagination__link" href={`?page=${page + 1}`} rel="next" onClick={go(page + 1)}>
            <span class="govuk-pagination__link-title">{t("pagination.next")}</span>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{t("pagination.of", { page: page + 1, pages })}</span>
          </a>
        </div>
      )}
    </nav>
  );
}
