/**
 * Live events (GET /api/v1/events, server-sent, the session cookie carries the sign-in). Events
 * carry ids only; the stream ends every 10 minutes and on deploys, so on any error: close,
 * reconnect with growing waits, and on each (re)open ask for what was missed (`onCatchUp`).
 */
import { useEffect, useRef } from "preact/hooks";

export interface LiveHandlers {
  onMessage: () => void;
  onRead: (upTo: number, by: "staff" | "young_person") => void;
  onCatchUp: () => void;
}

const MAX_WAIT_MS = 60_000;

export function useLiveEvents(handlers: LiveHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;

  useEffect(() => {
    if (!("EventSource" in window)) return;
    let source: EventSource | null = null;
    let wait = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const connect = () => {
      source = new EventSource("/api/v1/events", { withCredentials: true });
      source.addEventListener("open", () => {
        wait = 1000;
        current.current.onCatchUp();
      });
      source.addEventListener("message", () => current.current.onMessage());
      source.addEventListener("read", (event) => {
        try {
          // Which side read, never who: a young person's phone is not told staff ids.
          const data = JSON.parse((event as MessageEvent<string>).data) as { up_to?: unknown; by?: unknown };
          if (typeof data.up_to === "number" && (data.by === "staff" || data.by === "young_person")) current.current.onRead(data.up_to, data.by);
        } catch {
          // a malformed event changes nothing
        }
      });
      source.addEventListener("error", () => {
        source?.close();
        if (stopped) return;
        // Jitter, so a deploy does not bring every phone back in the same second.
        timer = setTimeout(connect, wait + Math.random() * 1000);
        wait = Math.min(wait * 2, MAX_WAIT_MS);
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, []);
}
