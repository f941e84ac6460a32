import { t } from "../../i18n";
import { remove, retry, type OutboxItem } from "../../offline/outbox";
import { Tag } from "../../ui/Tag";

/** A message or check-in still on this phone: waiting, sending, or refused with why. */
export function Queued({ item }: { item: OutboxItem }) {
  const text = item.kind === "message" ? item.body : t("messages.checkIn", { mood: t(`checkIn.mood.${item.mood}`) });
  return (
    <li class="app-message app-message--mine app-message--queued">
      <p class="govuk-body-s app-message__meta">
        <strong>{t("messages.you")}</strong>
      </p>
      <p class="govuk-body app-message__body" dir="auto">
        {text}
      </p>
      {item.state === "failed" ? (
        <>
          <Tag colour="red">{t("messages.failed", { why: item.why ?? "" })}</Tag>
          <div class="govuk-button-group">
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => void retry(item.id)}>
              {t("messages.retry")}
            </button>
            <button type="button" class="govuk-button govuk-button--warning" onClick={() => void remove(item.id)}>
              {t("messages.delete")}
            </button>
          </div>
        </>
      ) : (
        <Tag colour="yellow">{item.state === "sending" ? t("messages.sending") : t("messages.waiting")}</Tag>
      )}
    </li>
  );
}
