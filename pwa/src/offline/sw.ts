/**
 * The service worker: the shell precached (Workbox), the young person's own GETs cached as they
 * are fetched so summary, plan, checklist, messages and rights stay readable with no signal.
 * A GET never counts as "seen" in the API: the screens say so themselves with
 * POST …/plan/versions/{n}/opened and POST /local-offer/{slug}/views when something is on screen.
 * So this worker may keep these GETs fresh (network first, the cache as fallback), but it never
 * sends, replays or caches a POST: only a screen the young person is looking at may.
 * The access log and the export are never cached (UX.md §5): the pattern below leaves them out.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { CacheExpiration, ExpirationPlugin } from "workbox-expiration";
import type { WorkboxPlugin } from "workbox-core";
import { NEW_MESSAGE } from "../i18n/notification";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

/** Matches SAVED_AT_HEADER in src/api/client.ts: the app shows "This is what you saw at …". */
const SAVED_AT = "X-Portal-Saved-At";

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// App paths load the shell; the staff console and the API are not the young person's app.
registerRoute(new NavigationRoute(createHandlerBoundToURL("/index.html"), { denylist: [/^\/staff/, /^\/api\//, /^\/manifest/] }));

/**
 * Only a good answer is kept, stamped with when, so a cached copy can say how old it is. A
 * shared phone's session gets "Cache-Control: no-store" on every answer (auth/users.py): never
 * kept, so nothing of the young person stays on that phone.
 */
const stampSavedAt: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => {
    if (response.status !== 200) return null;
    if (/\bno-store\b/i.test(response.headers.get("Cache-Control") ?? "")) return null;
    const headers = new Headers(response.headers);
    headers.set(SAVED_AT, String(Date.now()));
    return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
  },
};

const readable =
  /^\/api\/v1\/(young-people\/me\/(summary|plan|plan\/versions(\/\d+)?|documents|entitlements|messages|accommodation|accommodation-concerns)|local-offer(\/[^/]+)?|branding)$/;

/** Never kept on the phone, whatever else changes here (UX.md §5). */
const neverCached = /^\/api\/v1\/young-people\/[^/]+\/(access-log|export)$/;

const ANSWERS = "portal-answers";
const KEEP = { maxEntries: 200, maxAgeSeconds: 60 * 60 * 24 * 60 };

registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin && request.method === "GET" && readable.test(url.pathname) && !neverCached.test(url.pathname),
  new NetworkFirst({
    cacheName: ANSWERS,
    networkTimeoutSeconds: 10,
    plugins: [stampSavedAt, new ExpirationPlugin(KEEP)],
  }),
);

// Sign out (offline/register.ts clearCaches): the answers and the expiration plugin's list of
// their addresses and times (its own database, which this worker holds open, so the page
// cannot delete it). Answered on the message's port once done.
self.addEventListener("message", (event) => {
  const data: unknown = event.data;
  if (typeof data !== "object" || data === null || !("type" in data) || data.type !== "portal:forget") return;
  event.waitUntil(
    (async () => {
      await new CacheExpiration(ANSWERS, KEEP).delete();
      await caches.delete(ANSWERS);
      event.ports[0]?.postMessage("forgotten");
    })(),
  );
});

self.addEventListener("install", () => {
  void self.skipWaiting();
});
self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

// Push: the payload's words are never shown, only a neutral "New message" in the phone's language.
self.addEventListener("push", (event) => {
  let lang = "en";
  try {
    const payload: unknown = event.data?.json();
    if (typeof payload === "object" && payload !== null && "lang" in payload && typeof payload.lang === "string") lang = payload.lang;
  } catch {
    lang = "en";
  }
  event.waitUntil(self.registration.showNotification(NEW_MESSAGE[lang] ?? NEW_MESSAGE["en"] ?? "", { tag: "message", icon: "/icon.svg" }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/messages"));
});
