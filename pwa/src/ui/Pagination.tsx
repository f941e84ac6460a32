import { t } from "../i18n";

// govuk-frontend's own arrows (mirrored right to left in rtl.css).
const Prev = () => (
  <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
    <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
  </svg>
);
const Next = () => (
  <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
    <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
  </svg>
);

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
            <Prev />
            <span class="govuk-pagination__link-title">{t("pagination.previous")}</span>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{t("pagination.of", { page: page - 1, pages })}</span>
          </a>
        </div>
      )}
      {page < pages && (
        <div class="govuk-pagination__next">
          <a class="govuk-link govuk-pagination__link" href={`?page=${page + 1}`} rel="next" onClick={go(page + 1)}>
            <Next />
            <span class="govuk-pagination__link-title">{t("pagination.next")}</span>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{t("pagination.of", { page: page + 1, pages })}</span>
          </a>
        </div>
      )}
    </nav>
  );
}
