import { useEffect, useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { t } from "../../i18n";
import { lastSent, outbox } from "../../offline/outbox";
import { online } from "../../ui/network";
import { PhoneSentence } from "../../ui/PhoneSentence";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { loadSummary, summaryKey } from "../summary";
import { Bubble, isMine } from "./Bubble";
import { Composer } from "./Composer";
import { useLiveEvents } from "./live";
import { Queued } from "./Queued";

type Message = components["schemas"]["MessageRead"];
const path = { yp: "me" };

const loadLatest = () => call(api.GET("/api/v1/young-people/{yp}/messages", { params: { path, query: { limit: 50 } } }));

function merge(a: readonly Message[], b: readonly Message[]): Message[] {
  const byId = new Map<number, Message>();
  for (const m of [...a, ...b]) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => x.id - y.id);
}

/** Messages: the conversation with the PA, what is waiting to send, and the composer. */
export function Messages() {
  const page = useResource("messages", loadLatest);
  const pa = useResource(summaryKey, loadSummary).data?.personal_adviser?.name ?? null;
  const [later, setLater] = useState<Message[]>([]);
  const [liveSeenUpTo, setSeenUpTo] = useState(0);
  // The page says how far the PA's side has read, so "Seen" survives being offline when they read.
  const seenUpTo = Math.max(liveSeenUpTo, page.data?.read_up_to ?? 0);
  const all = merge(page.data?.items ?? [], later);
  const lastId = all.at(-1)?.id ?? 0;

  const catchUp = async () => {
    try {
      const { data } = await call(api.GET("/api/v1/young-people/{yp}/messages", { params: { path, query: { after: lastId, limit: 200 } } }));
      if (data.items.length > 0) setLater((prev) => merge(prev, data.items));
    } catch {
      // Offline or signed out: the screen's own load says so; the next event tries again.
    }
  };

  useLiveEvents({
    onMessage: () => void catchUp(),
    onCatchUp: () => void catchUp(),
    // Their own read on another phone is not "Seen": only the PA's side reading counts.
    onRead: (upTo, by) => {
      if (by === "staff") setSeenUpTo((n) => Math.max(n, upTo));
    },
  });

  // Tell the PA the young person has read up to the newest message from them.
  const newestTheirs = [...all].reverse().find((m) => !isMine(m))?.id ?? 0;
  useEffect(() => {
    if (newestTheirs > 0 && online.value) {
      void call(api.POST("/api/v1/young-people/{yp}/messages/read", { params: { path }, body: { up_to: newestTheirs } })).catch(() => undefined);
    }
  }, [newestTheirs]);

  // Open at the newest message, as a conversation does: the composer sits over the oldest.
  useEffect(() => {
    if (lastId > 0) document.querySelector(".app-conversation > li:last-child")?.scrollIntoView({ block: "end" });
  }, [lastId]);

  // A send from the outbox: pull it into the conversation.
  useEffect(() => {
    if (lastSent.value) void catchUp();
  }, [lastSent.value]);

  const sent = lastSent.value;
  const queued = outbox.value;
  return (
    <Screen title={t("messages.title")} resource={page}>
      {() => (
        <>
          {all.length === 0 && queued.length === 0 && <p class="govuk-body">{pa ? t("messages.empty", { name: pa }) : t("messages.emptyNoPa")}</p>}
          <ol class="app-conversation" aria-live="polite">
            {all.map((m) => (
              <Bubble key={m.id} message={m} seen={isMine(m) && m.id <= seenUpTo} />
            ))}
            {queued.map((item) => (
              <Queued key={item.id} item={item} />
            ))}
          </ol>
          {sent?.out_of_hours && sent.emergency_phone && (
            <div class="govuk-inset-text">
              <PhoneSentence text="messages.outOfHours" phone={sent.emergency_phone} />
            </div>
          )}
          {!online.value && <p class="govuk-inset-text">{t("messages.queuedOffline")}</p>}
          <Composer />
        </>
      )}
    </Screen>
  );
}
