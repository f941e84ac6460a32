/** The green banner after a form saved, read out once (role="status"). */
export function Done({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="status">
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}
