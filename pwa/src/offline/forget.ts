/**
 * Sign out on a shared phone (UX.md §5): end the session, then forget everything the app kept:
 * the outbox, every IndexedDB database, the cached answers, the answers in memory, and the push
 * subscription. The precached shell holds nothing personal and stays, so the app still opens.
 * The phone's own choices (discreet mode, Exit this page everywhere) stay too: they protect
 * whoever uses the phone next.
 */
import { signOut } from "../api/session";
import { forgetLanguage } from "../i18n";
import { forgetResources } from "../ui/useResource";
import { clearOutbox } from "./outbox";
import { clearCaches } from "./register";

async function deleteAllDatabases(): Promise<void> {
  if (!("indexedDB" in self) || typeof indexedDB.databases !== "function") return;
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}

export async function forgetEverything(): Promise<void> {
  try {
    await signOut();
  } catch {
    // Offline: the session ends on the server when it expires; this phone forgets it now.
  }
  await clearOutbox();
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
