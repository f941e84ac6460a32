import { formatDate, formatTime, isToday, t } from "../i18n";

/** "You're offline. This is what you saw at 14:05" (UX.md §1 Offline). */
export function OfflineBanner({ savedAt }: { savedAt: Date }) {
  const known = savedAt.getTime() > 0;
  const text = !known
    ? t("app.offlineFormDisabled")
    : isToday(savedAt)
      ? t("app.offline", { time: formatTime(savedAt) })
      : t("app.offlineToday", { date: formatDate(savedAt.toISOString().slice(0, 10)), time: formatTime(savedAt) });
  return (
    <div class="govuk-notification-banner" role="region" aria-labelledby="offline-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="offline-title">
          {t("app.offlineTitle")}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}
