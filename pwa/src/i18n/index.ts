/**
 * Languages: the chosen one is kept on this phone only (UX.md §2 Settings). English ships in
 * the first load; Arabic and Pashto load when chosen. Reading `t()` in a component subscribes
 * it to the language signal, so a change re-renders every string.
 */
import { computed, signal } from "@preact/signals";
import { en, type MessageKey, type Messages } from "./en";

export type { MessageKey } from "./en";
export type Lang = "en" | "ar" | "ps";
export const LANGS: readonly Lang[] = ["en", "ar", "ps"];
const RTL: ReadonlySet<Lang> = new Set<Lang>(["ar", "ps"]);
const STORE_KEY = "portal.lang";

const catalogues = signal<Partial<Record<Lang, Messages>>>({ en });
export const lang = signal<Lang>("en");
export const dir = computed(() => (RTL.has(lang.value) ? "rtl" : "ltr"));

export const isLang = (value: unknown): value is Lang => LANGS.includes(value as Lang);

async function load(code: Lang): Promise<Messages> {
  const have = catalogues.value[code];
  if (have) return have;
  const messages = code === "ar" ? (await import("./ar")).ar : code === "ps" ? (await import("./ps")).ps : en;
  catalogues.value = { ...catalogues.value, [code]: messages };
  return messages;
}

/** Unicode first-strong isolate and pop: plain-text <bdi>, usable in titles and attributes too. */
const FSI = "\u2068";
const PDI = "\u2069";

/**
 * A translated string with its {placeholders} filled. In a right-to-left language each value
 * (a name, a date, a phone number) is isolated, so "Hello Amira" or a Latin date inside an
 * Arabic sentence cannot reorder the words around it.
 */
export function t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const text = catalogues.value[lang.value]?.[key] ?? en[key];
  if (!params) return text;
  const isolate = RTL.has(lang.value);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const shown = typeof value === "number" ? formatNumber(value) : value;
    return isolate ? FSI + shown + PDI : shown;
  });
}

/** Sets the language, `lang`/`dir` on <html>, and remembers it on this phone. */
export async function setLanguage(code: Lang): Promise<void> {
  await load(code);
  lang.value = code;
  document.documentElement.lang = code;
  document.documentElement.dir = RTL.has(code) ? "rtl" : "ltr";
  try {
    localStorage.setItem(STORE_KEY, code);
  } catch {
    // Private mode or storage full: the choice lasts until the app closes.
  }
}

export async function startLanguage(): Promise<void> {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch {
    saved = null;
  }
  // The language links are plain `?lang=` links too, so a shared link opens in that language.
  const fromLink = new URLSearchParams(location.search).get("lang");
  const fromBrowser = navigator.language.slice(0, 2);
  await setLanguage(isLang(fromLink) ? fromLink : isLang(saved) ? saved : isLang(fromBrowser) ? fromBrowser : "en");
}

/** Forgets the language choice (sign out clears what the app kept). */
export function forgetLanguage(): void {
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    // nothing kept
  }
}

// Dates, times and money through Intl, in the chosen language. British calendar conventions.
// A browser without Pashto data (Chromium ships a reduced ICU) falls back to British English, not
// to its own default (American month-first dates).
const locale = (): string[] => (lang.value === "en" ? ["en-GB"] : [lang.value, "en-GB"]);

export const formatNumber = (n: number): string => new Intl.NumberFormat(locale()).format(n);

/** A calendar date from the API ("2026-12-04"), shown without a time-zone shift. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

export const formatTime = (at: Date): string =>
  new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(at);

export const formatDateTime = (at: Date): string =>
  new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(at);

/** Money arrives as a decimal string in pounds ("1234.50"). */
export function formatMoney(gbp: string): string {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "GBP" }).format(Number(gbp));
}

export const isToday = (at: Date): boolean => at.toDateString() === new Date().toDateString();

/** Text from elsewhere (a name, an English title) set inside a right-to-left line, isolated. */
export const isolated = (text: string): string => (RTL.has(lang.value) ? FSI + text + PDI : text);

/** "a, b and c" in the chosen language, each item isolated. */
export const formatList = (items: readonly string[]): string =>
  new Intl.ListFormat(locale(), { type: "conjunction" }).format(items.map(isolated));

/** A sentence split around one placeholder, so the screen can put a link (a phone number) there. */
export function tAround(key: MessageKey, name: string): [string, string] {
  const marker = "\u0000";
  // The screen isolates what goes there itself (an element with its own `dir`).
  const [before = "", after = ""] = t(key, { [name]: marker }).split(marker);
  return [before.replace(new RegExp(`${FSI}$`), ""), after.replace(new RegExp(`^${PDI}`), "")];
}
