/**
 * Choices about this phone, kept on it only (UX.md §5 Shared phones): discreet mode and whether
 * Exit this page shows on every screen. They outlive sign-out on purpose: the phone stays
 * discreet for whoever picks it up next.
 */
import { signal } from "@preact/signals";

const DISCREET = "portal.discreet";
const EXIT_EVERYWHERE = "portal.exitEverywhere";

function read(key: string, fallback: boolean): boolean {
  try {
    const value = localStorage.getItem(key);
    return value === null ? fallback : value === "1";
  } catch {
    return fallback;
  }
}

function write(key: string, value: boolean): void {
  try {
    localStorage.setItem(key, value ? "1" : "0");
  } catch {
    // Private mode or storage full: the choice lasts until the app closes.
  }
}

/** Discreet by default (UX.md §5): the council's neutral name in the header and the app switcher. */
export const discreet = signal(read(DISCREET, true));
/** Exit this page on every screen, not only messages and where I live. */
export const exitEverywhere = signal(read(EXIT_EVERYWHERE, false));

export function setDiscreet(on: boolean): void {
  discreet.value = on;
  write(DISCREET, on);
}

export function setExitEverywhere(on: boolean): void {
  exitEverywhere.value = on;
  write(EXIT_EVERYWHERE, on);
}
