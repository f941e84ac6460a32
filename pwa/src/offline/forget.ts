/**
 * Sign out on a shared phone (UX.md §5): end the session, then forget everything the app kept:
 * the push subscription (the API told first, while the session still stands), the outbox, the
 * PIN, every IndexedDB database, the cached answers and the answers in memory. The precached shell holds nothing personal and stays, so the app still opens.
 * The phone's own choices (discreet mode, Exit this page everywhere) stay too: they protect
 * whoever uses the phone next.
 */
import { signOut } from "../api/session";
import { forgetPin } from "../app/lock/pin";
import { forgetLanguage } from "../i18n";
import { forgetResources } from "../ui/useResource";
import { clearOutbox } from "./outbox";
import { turnPushOff } from "./push";
import { clearCaches } from "./register";

/** The service worker's own record of cached answers: it keeps it open, so a delete from here
 * would wait forever and block the worker's next use of it. The worker empties it instead. */
const WORKER_DATABASE = "workbox-expiration";

async function deleteAllDatabases(): Promise<void> {
  if (!("indexedDB" in self) || typeof indexedDB.databases !== "function") return;
  for (const { name } of await indexedDB.databases()) {
    if (!name || name === WORKER_DATABASE) continue;
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}

export async function forgetEverything(): Promise<void> {
  try {
    await turnPushOff();
  } catch {
    // Offline: the browser has unsubscribed; the API drops it with the session.
  }
  try {
    await signOut();
  } catch {
    // Offline: the session ends on the server when it expires; this phone forgets it now.
  }
  await clearOutbox();
  await forgetPin(); // closed first: an open database is not deleted
  await deleteAllDatabases();
  await clearCaches(); // also unsubscribes push
  forgetResources();
  forgetLanguage();
  try {
    sessionStorage.clear();
  } catch {
    // nothing kept
  }
}
