import type { components } from "../../api/client";
import { formatDateTime, t } from "../../i18n";
import { Tag } from "../../ui/Tag";

type Message = components["schemas"]["MessageRead"];

/**
 * In the young person's own conversation every message from a young person is theirs. `from_me`
 * alone is false for messages without a sender account (the demo's seeded history, messages
 * from before the account existed), which showed their own words as "Your PA".
 */
export const isMine = (m: Message): boolean => m.from_me || m.sender_role === "young_person";

/** One message: who (You, or the PA's name), when, and for mine Sent or Seen. */
export function Bubble({ message, seen }: { message: Message; seen: boolean }) {
  const mine = isMine(message);
  const who = mine ? t("messages.you") : (message.sender_name ?? (message.sender_role === "system" ? t("messages.system") : t("messages.pa")));
  const body = message.kind === "check_in" && message.mood ? t("messages.checkIn", { mood: t(`checkIn.mood.${message.mood}`) }) : message.body;
  return (
    <li class={`app-message ${mine ? "app-message--mine" : "app-message--theirs"}`}>
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
      {mine && <Tag colour={seen ? "green" : "grey"}>{seen ? t("messages.seen") : t("messages.sent")}</Tag>}
    </li>
  );
}
