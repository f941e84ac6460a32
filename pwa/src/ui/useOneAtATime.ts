import { useRef } from "preact/hooks";

/**
 * Runs a form's save one at a time. On a cheap phone putting something in the outbox
 * (IndexedDB) can take a moment, and a second tap on Send in that moment queued it a second
 * time, under a new Idempotency-Key: two messages, or two "need help now" check-ins. A tap while
 * a save is running is ignored.
 */
export function useOneAtATime(): (save: () => Promise<void>) => Promise<void> {
  const saving = useRef(false);
  return async (save) => {
    if (saving.current) return;
    saving.current = true;
    try {
      await save();
    } finally {
      saving.current = false;
    }
  };
}
