import type { components } from "../../api/client";
import { formatDateTime, t } from "../../i18n";
import { Tag } from "../../ui/Tag";

type Message = components["schemas"]["MessageRead"];

/** One message: who (You, or the PA's name), when, and for mine Sent or Seen. */
export function Bubble({ message, seen }: { message: Message; seen: boolean }) {
  // Their own conversation has one young person in it: a message from that role is theirs, even
  // one with no sender (imported history), never "Your PA".
  const mine = message.from_me || message.sender_role === "young_person";
  const who = mine ? t("messages.you") : (message.sender_name ?? t("messages.pa"));
  const body = message.kind === "check_in" && message.mood ? t("messages.checkIn", { mood: t(`checkIn.mood.${message.mood}`) }) : message.body;
  return (
    <li class={`app-message ${mine ? "app-message--mine" : "app-message--theirs"}`}>
      <p class="govuk-body-s app-message__meta">
        <strong>{who}</strong> · <time dateTime={message.created_at}>{formatDateTime(new Date(message.created_at))}</time>
      </p>
      <p class="govuk-body app-message__body" dir="auto">
        {body}
        {message.kind === "check_in" && message.mood && message.body ? ` ${message.body}` : ""}
      </p>
      {mine && <Tag colour={seen ? "green" : "grey"}>{seen ? t("messages.seen") : t("messages.sent")}</Tag>}
    </li>
  );
}
