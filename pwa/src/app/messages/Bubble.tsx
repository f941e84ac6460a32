import type { components } from "../../api/client";
import { formatDateTime, t } from "../../i18n";
import { Tag } from "../../ui/Tag";

type Message = components["schemas"]["MessageRead"];

/** One message: who (You, or the PA's name), when, and for mine Sent or Seen. */
export function Bubble({ message, seen }: { message: Message; seen: boolean }) {
  const who = message.from_me ? t("messages.you") : (message.sender_name ?? t("messages.pa"));
  const body = message.kind === "check_in" && message.mood ? t("messages.checkIn", { mood: t(`checkIn.mood.${message.mood}`) }) : message.body;
  return (
    <li class={`app-message ${message.from_me ? "app-message--mine" : "app-message--theirs"}`}>
      <p class="govuk-body-s app-message__meta">
        {/* A Latin name or a date inside an Arabic line keeps its own direction (bidi isolation). */}
        <strong>
          <bdi>{who}</bdi>
        </strong>{" "}
        ·{" "}
        <time dateTime={message.created_at}>
          <bdi>{formatDateTime(new Date(message.created_at))}</bdi>
        </time>
      </p>
      <p class="govuk-body app-message__body" dir="auto">
        {body}
        {message.kind === "check_in" && message.mood && message.body ? ` ${message.body}` : ""}
      </p>
      {message.from_me && <Tag colour={seen ? "green" : "grey"}>{seen ? t("messages.seen") : t("messages.sent")}</Tag>}
    </li>
  );
}
