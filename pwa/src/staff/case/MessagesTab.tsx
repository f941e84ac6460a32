import { useEffect, useRef, useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { st, stKey } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { summaryItems } from "../../ui/problem";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDateTime } from "../format";
import { MessageActions } from "./records/MessageActions";
import { Section } from "./Section";

type S = components["schemas"];
type Message = S["StaffMessageRead"] | S["MessageRead"];

/** The conversation, oldest at the top, and a reply box under it. */
export function MessagesTab({ id, name }: { id: string; name: string }) {
  const resource = useResource(`staff:yp:${id}:messages`, () =>
    call(api.GET("/api/v1/young-people/{yp}/messages", { params: { path: { yp: id }, query: { limit: 100 } } })),
  );
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const box = list.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [resource.data]);

  return (
    <Section title={st("messages.title")} resource={resource}>
      {(page) => {
        const items: Message[] = [...page.items].sort((a, b) => a.id - b.id);
        return (
          <>
            {page.unread > 0 && <p class="govuk-body">{st("messages.unread", { count: page.unread })}</p>}
            {items.length === 0 ? (
              <p class="govuk-inset-text">{st("messages.none", { name })}</p>
            ) : (
              // Scrollable, so it takes focus for keyboard scrolling (WCAG 2.1.1).
              <ol class="app-conversation staff-conversation" ref={list} tabIndex={0} aria-label={st("messages.title")}>
                {items.map((m) => (
                  <MessageItem key={m.id} id={id} message={m} onChanged={resource.reload} />
                ))}
              </ol>
            )}
            <Composer id={id} name={name} onSent={resource.reload} />
          </>
        );
      }}
    </Section>
  );
}

function MessageItem({ id, message: m, onChanged }: { id: string; message: Message; onChanged: () => void }) {
  const staffView = "hidden" in m ? m : null;
  const classes = [
    "app-message",
    m.from_me || m.sender_role !== "young_person" ? "app-message--mine" : "",
    staffView?.flagged ? "staff-message--flagged" : "",
    staffView?.hidden ? "staff-message--hidden" : "",
  ].join(" ");
  return (
    <li class={classes}>
      <p class="govuk-body-s app-message__meta">
        <strong>{st("messages.from", { name: m.from_me ? st("messages.you") : (m.sender_name ?? ""), when: formatDateTime(m.created_at) })}</strong>{" "}
        {m.kind === "check_in" && <Tag colour="blue">{st("messages.checkIn")}</Tag>}{" "}
        {m.mood && <Tag colour={m.mood === "need_help_now" ? "red" : m.mood === "some_help" ? "orange" : "green"}>{st(stKey("mood", m.mood))}</Tag>}{" "}
        {m.to_duty_queue && <Tag colour="grey">{st("messages.duty")}</Tag>}{" "}
        {staffView?.flagged && <Tag colour="red">{st("messages.flagged")}</Tag>}
      </p>
      <p class="govuk-body app-message__body">{m.body}</p>
      {staffView?.hidden && <p class="govuk-body-s">{st("messages.hidden", { reason: staffView.hidden_reason ?? "" })}</p>}
      {staffView && m.sender_role === "young_person" && <MessageActions id={id} messageId={m.id} hidden={staffView.hidden} onDone={onChanged} />}
    </li>
  );
}

function Composer({ id, name, onSent }: { id: string; name: string; onSent: () => void }) {
  const [body, setBody] = useState("");
  const [sending, setSending] = useState(false);
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [sent, setSent] = useState<string | null>(null);
  // One key per message, reused on every retry of it, so a retry never sends twice.
  const key = useRef<string>(crypto.randomUUID());

  const send = async (e: Event) => {
    e.preventDefault();
    if (sending) return;
    if (body.trim() === "") {
      setErrors([{ field: "reply-body", text: st("messages.empty") }]);
      return;
    }
    setSending(true);
    setErrors([]);
    setSent(null);
    const text = body;
    try {
      const result = await call(
        api.POST("/api/v1/young-people/{yp}/messages", {
          params: { path: { yp: id }, header: { "idempotency-key": key.current } },
          body: { body: text },
        }),
      );
      key.current = crypto.randomUUID();
      // Emptied only if it still holds what was sent: what the PA typed meanwhile is the next one.
      setBody((now) => (now === text ? "" : now));
      setSent(st("messages.sent", { to: result.data.delivered_to }));
      onSent();
    } catch (err) {
      const error = err instanceof ApiError ? err : offlineError();
      setErrors(summaryItems(error, "reply-"));
    } finally {
      setSending(false);
    }
  };

  const fieldError = errors.find((x) => x.field === "reply-body");
  return (
    <form class="staff-composer" onSubmit={(e) => void send(e)} noValidate>
      <ErrorSummary items={errors} />
      {sent && (
        <p class="govuk-body" role="status">
          {sent}
        </p>
      )}
      <div class={`govuk-form-group${fieldError ? " govuk-form-group--error" : ""}`}>
        <label class="govuk-label govuk-label--s" for="reply-body">
          {st("messages.reply", { name })}
        </label>
        {fieldError && (
          <p class="govuk-error-message" id="reply-body-error">
            {fieldError.text}
          </p>
        )}
        <textarea
          class={`govuk-textarea${fieldError ? " govuk-textarea--error" : ""}`}
          id="reply-body"
          rows={4}
          maxLength={4000}
          value={body}
          aria-describedby={fieldError ? "reply-body-error" : undefined}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="govuk-button" disabled={sending} aria-disabled={sending}>
        {sending ? st("messages.sending") : st("messages.send")}
      </button>
    </form>
  );
}
