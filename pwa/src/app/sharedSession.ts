/**
 * "This is a shared phone" at sign-in. The API makes such a session short and marks its
 * answers no-store (so the service worker keeps none); this flag only lets the screens say so.
 * It lives in sessionStorage, which ends with the browser as the session's cookie does.
 */
const KEY = "portal.sharedSession";

export function markSharedSession(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(KEY, "1");
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: the screens just do not mention it.
  }
}

export function isSharedSession(): boolean {
  try {
    return sessionStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
}
