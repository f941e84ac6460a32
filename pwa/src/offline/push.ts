/**
 * "New message" notifications on this phone (UX.md §5): subscribe with the council's public
 * key from GET /branding, tell the API (POST /users/me/push-subscriptions, tied to this
 * session), and undo both on turning it off or signing out. The notification itself only ever
 * says "New message" (sw.ts). Every way this can fail is one plain reason the screen can say.
 */
import { api, call } from "../api/client";
import { getBranding } from "../api/session";

export type PushProblem = "unsupported" | "denied" | "no_key" | "failed";

export class PushUnavailable extends Error {
  constructor(readonly reason: PushProblem) {
    super(reason);
  }
}

function supported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in self && "Notification" in self;
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!("serviceWorker" in navigator)) return undefined;
  return navigator.serviceWorker.getRegistration();
}

/** This phone's subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!supported()) return null;
  return (await (await registration())?.pushManager.getSubscription()) ?? null;
}

/** What the settings screen can offer before anyone taps anything. */
export function pushAvailability(): PushProblem | null {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return null;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** Turn notifications on: permission, subscription, then the API. Throws PushUnavailable. */
export async function turnPushOn(): Promise<void> {
  if (!supported()) throw new PushUnavailable("unsupported");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new PushUnavailable("denied");
  const key = (await getBranding()).vapid_public_key;
  if (!key) throw new PushUnavailable("no_key");
  const worker = await navigator.serviceWorker.ready;
  let subscription: PushSubscription;
  try {
    subscription =
      (await worker.pushManager.getSubscription()) ??
      (await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
  } catch {
    throw new PushUnavailable("failed");
  }
  const json = subscription.toJSON();
  const p256dh = json.keys?.["p256dh"];
  const auth = json.keys?.["auth"];
  if (!json.endpoint || !p256dh || !auth) throw new PushUnavailable("failed");
  await call(api.POST("/api/v1/users/me/push-subscriptions", { body: { endpoint: json.endpoint, p256dh, auth } }));
}

/** Turn them off (and on sign-out): the API forgets the endpoint, the browser unsubscribes. */
export async function turnPushOff(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  try {
    await call(api.DELETE("/api/v1/users/me/push-subscriptions", { body: { endpoint: subscription.endpoint } }));
  } finally {
    // Even offline: the browser stops taking them now; the API's copy goes with the session.
    await subscription.unsubscribe();
  }
}
