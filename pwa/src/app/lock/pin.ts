/**
 * The app PIN (UX.md §5 Lock): optional, off until the young person sets one. It never leaves
 * the phone: only a salted PBKDF2 hash (WebCrypto) is kept, in IndexedDB, with the count of
 * wrong tries, so reloading does not reset the count. When a PIN is set the app shows the PIN
 * screen at start and after LOCK_AFTER_MS in the background, before anything it kept is shown.
 * Five wrong tries sign out and forget everything (the PIN with it); "forgot PIN" is the same:
 * sign in again with the password.
 */
import { signal } from "@preact/signals";
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from "idb";

export const PIN_MIN = 4;
export const PIN_MAX = 6;
export const MAX_TRIES = 5;
/** Away from the app this long (phone locked, another app open) and the PIN is asked again. */
export const LOCK_AFTER_MS = 5 * 60 * 1000;
// OWASP's 2023 figure for PBKDF2-HMAC-SHA256. A 4-digit PIN has 10,000 values, so the hash
// mainly stops a glance at the database giving the PIN away; the 5 tries stop guessing here.
const ITERATIONS = 600_000;

interface Kept {
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
  iterations: number;
  wrong: number;
}
interface LockDB extends DBSchema {
  pin: { key: "pin"; value: Kept };
}

const DB_NAME = "portal-lock";
let dbPromise: Promise<IDBPDatabase<LockDB>> | null = null;
const db = () => (dbPromise ??= openDB<LockDB>(DB_NAME, 1, { upgrade: (d) => d.createObjectStore("pin") }));

/** Whether a PIN is set on this phone (known once startLock has run). */
export const pinSet = signal(false);
/** The PIN screen is showing: nothing else is rendered. */
export const locked = signal(false);

export const isPin = (value: string): boolean => new RegExp(`^\\d{${PIN_MIN},${PIN_MAX}}$`).test(value);

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

async function kept(): Promise<Kept | undefined> {
  try {
    return await (await db()).get("pin", "pin");
  } catch {
    return undefined; // no IndexedDB (private mode in some browsers): no PIN can be set
  }
}

export async function setPin(pin: string): Promise<void> {
  if (!isPin(pin)) throw new Error("a PIN is 4 to 6 digits");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(pin, salt, ITERATIONS);
  await (await db()).put("pin", { salt, hash, iterations: ITERATIONS, wrong: 0 }, "pin");
  pinSet.value = true;
}

export async function removePin(): Promise<void> {
  await (await db()).delete("pin", "pin");
  pinSet.value = false;
  locked.value = false;
}

export type Check = { ok: true } | { ok: false; triesLeft: number };

/** Checks a PIN; a right one unlocks. At 0 tries left the caller signs out (forgetEverything). */
export async function checkPin(pin: string): Promise<Check> {
  const found = await kept();
  if (!found) {
    locked.value = false;
    return { ok: true };
  }
  if (same(await derive(pin, found.salt, found.iterations), found.hash)) {
    if (found.wrong > 0) await (await db()).put("pin", { ...found, wrong: 0 }, "pin");
    locked.value = false;
    return { ok: true };
  }
  const wrong = found.wrong + 1;
  await (await db()).put("pin", { ...found, wrong }, "pin");
  return { ok: false, triesLeft: Math.max(0, MAX_TRIES - wrong) };
}

/** Wrong tries so far (a reload shows how many are left). */
export async function wrongTries(): Promise<number> {
  return (await kept())?.wrong ?? 0;
}

let hiddenAt: number | null = null;

/** App start: lock at once if a PIN is set, and again after a while in the background. */
export async function startLock(): Promise<void> {
  const found = await kept();
  pinSet.value = found !== undefined;
  locked.value = pinSet.value;
  document.addEventListener("visibilitychange", () => {
    if (!pinSet.value) return;
    if (document.visibilityState === "hidden") hiddenAt = Date.now();
    else if (hiddenAt !== null && Date.now() - hiddenAt >= LOCK_AFTER_MS) locked.value = true;
  });
}

/** Sign out: the PIN goes with everything else (forget.ts deletes every database too). */
export async function forgetPin(): Promise<void> {
  if (dbPromise) (await dbPromise).close();
  dbPromise = null;
  await deleteDB(DB_NAME);
  pinSet.value = false;
  locked.value = false;
}
