/**
 * The outbox: messages and check-ins written on this phone wait here (IndexedDB) until the API
 * has them. Each has a UUID made once and sent as its Idempotency-Key on every try, so a retry
 * after a lost answer never makes a second message. Tried on `online`, at app start, when the app
 * comes back into view, and after each new item. Too many sends in a short time (429) or a
 * server error: everything waits, shown as "Waiting to send", until Retry-After (or a backoff)
 * has passed, then goes in order. A send the API refuses for good (a 4xx other than 401/429) is
 * kept with why, never dropped: only the young person may delete it.
 */
import { signal } from "@preact/signals";
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from "idb";
import { api, call, type components } from "../api/client";
import { ApiError } from "../api/errors";
import { sessionEnded } from "../ui/auth";
import { online } from "../ui/network";

type Mood = components["schemas"]["Mood"];
export type SendResult = components["schemas"]["SendResult"];

export type OutboxState = "waiting" | "sending" | "failed";

interface Base {
  id: string;
  createdAt: number;
  state: OutboxState;
  /** Why the API refused it (failed), in the API's words. */
  why: string | null;
  attempts: number;
  /** Do not try before this time (ms): Retry-After, or backing off from a server error. */
  notBefore: number;
}
export interface QueuedMessage extends Base {
  kind: "message";
  body: string;
}
export interface QueuedCheckIn extends Base {
  kind: "check_in";
  mood: Mood;
  note: string | null;
}
export type OutboxItem = QueuedMessage | QueuedCheckIn;

interface OutboxDB extends DBSchema {
  outbox: { key: string; value: OutboxItem };
}

const DB_NAME = "portal-outbox";
let dbPromise: Promise<IDBPDatabase<OutboxDB>> | null = null;
const db = () => (dbPromise ??= openDB<OutboxDB>(DB_NAME, 1, { upgrade: (d) => d.createObjectStore("outbox", { keyPath: "id" }) }));

/** Everything in the outbox, oldest first: the screens show these as "Waiting to send". */
export const outbox = signal<readonly OutboxItem[]>([]);
/** The API's answer to the latest send (out of hours: the number to call). */
export const lastSent = signal<SendResult | null>(null);

async function refresh(): Promise<void> {
  const all = await (await db()).getAll("outbox");
  outbox.value = all.sort((a, b) => a.createdAt - b.createdAt);
}

async function put(item: OutboxItem): Promise<void> {
  await (await db()).put("outbox", item);
  await refresh();
}

const fresh = (): Omit<Base, "id"> => ({ createdAt: Date.now(), state: "waiting", why: null, attempts: 0, notBefore: 0 });

export async function queueMessage(body: string): Promise<void> {
  await put({ id: crypto.randomUUID(), kind: "message", body, ...fresh() });
  void flush();
}

export async function queueCheckIn(mood: Mood, note: string | null): Promise<void> {
  await put({ id: crypto.randomUUID(), kind: "check_in", mood, note, ...fresh() });
  void flush();
}

/** The young person chose to try a refused item again. */
export async function retry(id: string): Promise<void> {
  const item = outbox.value.find((i) => i.id === id);
  if (!item) return;
  await put({ ...item, state: "waiting", why: null, notBefore: 0 });
  void flush();
}

/** Only ever on the young person's say-so. */
export async function remove(id: string): Promise<void> {
  await (await db()).delete("outbox", id);
  await refresh();
}

export const unsentCount = (): number => outbox.value.length;

function post(item: OutboxItem) {
  const header = { "idempotency-key": item.id };
  const path = { yp: "me" };
  return item.kind === "message"
    ? call(api.POST("/api/v1/young-people/{yp}/messages", { params: { path, header }, body: { body: item.body } }))
    : call(api.POST("/api/v1/young-people/{yp}/check-ins", { params: { path, header }, body: { mood: item.mood, note: item.note } }));
}

let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | null = null;
let again = false;

/**
 * Sends what is waiting, one at a time, oldest first. Safe to call often: one pass runs at a
 * time, and a call during a pass (the signal coming back while a send is still failing, a new
 * message written meanwhile) is not dropped but makes one more pass after it, however many came.
 * Dropping it left a message "Waiting to send" with signal until something else nudged the outbox.
 */
export function flush(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        // One tab at a time across tabs too, where the browser can say so.
        if ("locks" in navigator) await navigator.locks.request("portal-outbox", sendDue);
        else await sendDue();
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function sendDue(): Promise<void> {
  // Nothing else sends now (this tab runs one pass at a time, other tabs wait for the lock), so
  // anything marked "sending" was left so by a page closed mid-send: it is waiting again, and
  // its Idempotency-Key makes the API answer with the first copy if that send did arrive.
  const store = await db();
  for (const item of await store.getAll("outbox")) {
    if (item.state === "sending") await store.put("outbox", { ...item, state: "waiting" });
  }
  await refresh();
  // A wait (the API's Retry-After, or backing off) holds what is behind it too: the send limit
  // is the account's, and a later message must never overtake an earlier one. Only "need help
  // now" goes past it: the API never refuses that one for sending too much.
  let held = false;
  for (const item of outbox.value) {
    if (item.state === "failed") continue;
    const urgent = item.kind === "check_in" && item.mood === "need_help_now";
    if (held && !urgent) continue;
    if (item.notBefore > Date.now()) {
      // Woken when it ends, also when the app was closed and opened again during the wait.
      if (!held) schedule((item.notBefore - Date.now()) / 1000);
      held = true;
      continue;
    }
    await put({ ...item, state: "sending", attempts: item.attempts + 1 });
    try {
      const { data } = await post(item);
      await remove(item.id);
      lastSent.value = data;
      online.value = true;
    } catch (e) {
      const error = e instanceof ApiError ? e : null;
      const kind = error?.kind ?? "offline";
      if (kind === "offline") {
        online.value = false;
        await put({ ...item, state: "waiting" });
        break; // no signal: the rest would fail the same way
      } else if (kind === "signed_out") {
        await put({ ...item, state: "waiting" });
        sessionEnded(); // kept: sent after signing in again
        break;
      } else if (kind === "rate_limited" || kind === "server") {
        const wait = error?.retryAfter ?? Math.min(300, 5 * 2 ** item.attempts);
        await put({ ...item, state: "waiting", notBefore: Date.now() + wait * 1000 });
        if (!held) schedule(wait);
        if (kind === "server") break; // the rest would fail the same way
        held = true;
      } else {
        // Refused for good (400/403/404/409/422): keep it and say why.
        await put({ ...item, state: "failed", why: error?.problem?.detail ?? error?.message ?? "" });
      }
    }
  }
}

function schedule(seconds: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void flush(), seconds * 1000);
}

/** App start: show what is waiting, then try everything (a pass also picks up a closed app's sends). */
export async function startOutbox(): Promise<void> {
  await refresh();
  addEventListener("online", () => void flush());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void flush();
  });
  void flush();
}

/** Sign out: the outbox goes with everything else the app kept (after a warning if unsent). */
export async function clearOutbox(): Promise<void> {
  clearTimeout(timer);
  if (dbPromise) (await dbPromise).close();
  dbPromise = null;
  await deleteDB(DB_NAME);
  outbox.value = [];
}
