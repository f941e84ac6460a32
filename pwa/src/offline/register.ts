/**
 * Registers the service worker from a module (vite-plugin-pwa's default registration is an
 * inline script, which the CSP forbids). Only the young person's app registers it.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  addEventListener("load", () => {
    void navigator.serviceWorker.register("/sw.js", { scope: "/", type: "classic" });
  });
}

/**
 * Sign out: every cache of the young person's answers, and the push subscription. The precached
 * shell holds nothing personal and stays, so the app still opens with no signal.
 */
export async function clearCaches(): Promise<void> {
  await askWorkerToForget();
  if ("caches" in self) {
    for (const name of await caches.keys()) {
      if (!name.startsWith("workbox-precache")) await caches.delete(name);
    }
  }
  if ("serviceWorker" in navigator) {
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    await subscription?.unsubscribe();
  }
}

/** The worker empties its own records of cached answers (sw.ts); at most 3 s, then go on. */
async function askWorkerToForget(): Promise<void> {
  const worker = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
  if (!worker) return;
  const channel = new MessageChannel();
  await Promise.race([
    new Promise<void>((resolve) => {
      channel.port1.onmessage = () => resolve();
      worker.postMessage({ type: "portal:forget" }, [channel.port2]);
    }),
    new Promise<void>((resolve) => setTimeout(resolve, 3000)),
  ]);
}
