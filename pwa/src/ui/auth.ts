/** Whether someone is signed in on this device: "unknown" until GET /users/me answers. */
import { signal } from "@preact/signals";

export type SignedIn = "unknown" | "yes" | "no";
export const signedIn = signal<SignedIn>("unknown");

/** A 401 anywhere means the session ended: show sign in, keeping the outbox and the last render. */
export function sessionEnded(): void {
  signedIn.value = "no";
}

/** The signed-in user's id: tells the PA's read receipts from the young person's own. */
export const myUserId = signal<string | null>(null);
