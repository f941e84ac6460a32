/**
 * The 30-minute idle sign-out (issue 15): any key, click or scroll resets the clock; two minutes
 * before the end the console warns, and at the end it signs out through the cookie route.
 */
import { signal } from "@preact/signals";

export const IDLE_LIMIT_MS = 30 * 60 * 1000;
export const WARN_BEFORE_MS = 2 * 60 * 1000;

/** "active" | "warning" (banner shown) | "ended" (signed out for idleness). */
export const idleState = signal<"active" | "warning" | "ended">("active");

let lastActivity = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

const touch = (): void => {
  lastActivity = Date.now();
  if (idleState.value === "warning") idleState.value = "active";
};

/** Starts watching; calls `onTimeout` once at 30 minutes. Returns a function that stops it. */
export function watchIdle(onTimeout: () => void): () => void {
  lastActivity = Date.now();
  idleState.value = "active";
  const events = ["keydown", "mousedown", "pointermove", "scroll", "touchstart"] as const;
  // Moving the mouse while the banner shows should not hide it unseen: only a deliberate act counts then.
  const onEvent = (e: Event) => {
    if (idleState.value === "warning" && (e.type === "pointermove" || e.type === "scroll")) return;
    touch();
  };
  for (const name of events) addEventListener(name, onEvent, { passive: true, capture: true });
  timer = setInterval(() => {
    const idle = Date.now() - lastActivity;
    if (idle >= IDLE_LIMIT_MS) {
      idleState.value = "ended";
      stop();
      onTimeout();
    } else if (idle >= IDLE_LIMIT_MS - WARN_BEFORE_MS && idleState.value === "active") {
      idleState.value = "warning";
    }
  }, 5000);
  function stop(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
    for (const name of events) removeEventListener(name, onEvent, { capture: true });
  }
  return stop;
}

/** "Stay signed in": counts as activity. */
export const stayActive = touch;
