/**
 * Languages: the chosen one is kept on this phone only (UX.md §2 Settings). English ships in
 * the first load; Arabic and Pashto load when chosen. Reading `t()` in a component subscribes
 * it to the language signal, so a change re-renders every string.
 */
import { computed, signal } from "@preact/signals";
import { en, type MessageKey, type Messages } from "./en";

export type { MessageKey } from "./en";
type English = Partial<Messages>;
export type Lang = "en" | "ar" | "ps";
export const LANGS: readonly Lang[] = ["en", "ar", "ps"];
const RTL: ReadonlySet<Lang> = new Set<Lang>(["ar", "ps"]);
const STORE_KEY = "portal.lang";
/** The language recorded for the signed-in young person, kept so the next start opens in it. */
const RECORDED_KEY = "portal.lang.recorded";

// English starts with the first load's strings (en.ts); the rest joins when a later screen
// loads (laterStrings). Arabic and Pashto are whole catalogues, loaded when chosen.
const catalogues = signal<Partial<Record<Lang, English>>>({ en });
const english = computed<English>(() => catalogues.value.en ?? en);

/** The rest of the English strings (en.later.ts): loaded with the first screen after home. */
export async function laterStrings(): Promise<void> {
  const { enLater } = await import("./en.later");
  addEnglish(enLater);
}

/** Joins strings to the English catalogue (the staff console takes them all at once). */
export function addEnglish(strings: English): void {
  catalogues.value = { ...catalogues.value, en: { ...english.value, ...strings } };
}
export const lang = signal<Lang>("en");
/**
 * Languages whose catalogue is machine-assisted and not yet checked by a translator (each file
 * says so in its `review` export, as content pages say `translation_status: awaiting_review`):
 * the app shows a note under every screen in them, as those pages do in their text.
 */
const awaiting = signal<ReadonlySet<Lang>>(new Set());
export const awaitingReview = computed(() => awaiting.value.has(lang.value));
export const dir = computed(() => (RTL.has(lang.value) ? "rtl" : "ltr"));

export const isLang = (value: unknown): value is Lang => LANGS.includes(value as Lang);

async function load(code: Lang): Promise<English> {
  const have = catalogues.value[code];
  if (have) return have;
  const { messages, review } =
    code === "ar" ? await import("./ar").then((m) => ({ messages: m.ar, review: m.review })) : code === "ps" ? await import("./ps").then((m) => ({ messages: m.ps, review: m.review })) : { messages: english.value, review: null };
  if (review?.translation_status === "awaiting_review") awaiting.value = new Set([...awaiting.value, code]);
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
  const text = catalogues.value[lang.value]?.[key] ?? english.value[key];
  if (text === undefined) {
    // A string of en.later.ts shown before it loaded: tests/test_app_strings.py should have
    // caught it. The key, not a blank, so it is seen and reported.
    console.error(`No English loaded for ${key}`);
    return key;
  }
  if (!params) return text;
  const isolate = RTL.has(lang.value);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const shown = typeof value === "number" ? formatNumber(value) : value;
    return isolate ? FSI + shown + PDI : shown;
  });
}

/**
 * Sets the language and `lang`/`dir` on <html>. A choice made on this phone is remembered
 * (`remember`); a default (the browser's, or the one recorded for the young person) is not, so
 * the recorded language can still take over until the phone chooses.
 */
export async function setLanguage(code: Lang, remember = true): Promise<void> {
  await load(code);
  lang.value = code;
  document.documentElement.lang = code;
  document.documentElement.dir = RTL.has(code) ? "rtl" : "ltr";
  if (!remember) return;
  try {
    localStorage.setItem(STORE_KEY, code);
  } catch {
    // Private mode or storage full: the choice lasts until the app closes.
  }
}

function saved(key = STORE_KEY): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * The language recorded for the young person (the summary's `preferred_language`): the app
 * follows it unless this phone has a language chosen (Settings or the language links).
 */
export function followRecordedLanguage(recorded: string): void {
  if (!isLang(recorded)) return;
  try {
    localStorage.setItem(RECORDED_KEY, recorded);
  } catch {
    // not kept: the next summary says it again
  }
  if (saved() === null && recorded !== lang.value) void setLanguage(recorded, false);
}

export async function startLanguage(): Promise<void> {
  const fromLink = linkLanguage();
  await (fromLink ? setLanguage(fromLink) : setLanguage(startingLanguage(), false));
}

// The language links are plain `?lang=` links too, so a shared link opens in that language.
const linkLanguage = (): Lang | null => {
  const fromLink = new URLSearchParams(location.search).get("lang");
  return isLang(fromLink) ? fromLink : null;
};

/**
 * The language the app starts in, known before its catalogue has loaded (so the first requests
 * can ask for it): a `?lang=` link, this phone's choice, the language recorded for the young
 * person, the browser's, English. public/early-requests.js follows the same order.
 */
export function startingLanguage(): Lang {
  const found = [linkLanguage(), saved(), saved(RECORDED_KEY), navigator.language.slice(0, 2)].find(isLang);
  return found ?? "en";
}

/** Forgets the language choice (sign out clears what the app kept). */
export function forgetLanguage(): void {
  try {
    localStorage.removeItem(STORE_KEY);
    localStorage.removeItem(RECORDED_KEY);
  } catch {
    // nothing kept
  }
}

// Dates, times and money through Intl, in the chosen language. British calendar conventions.
// A browser without Pashto data (Chromium ships a reduced ICU) falls back to British English, not
// to its own default (American month-first dates).
// The Gregorian calendar in every language: Pashto's default is the Persian solar calendar ("AP
// 1405"), and the council's dates (a review by 4 December) are Gregorian.
const locale = (): string[] => (lang.value === "en" ? ["en-GB"] : [`${lang.value}-u-ca-gregory`, "en-GB"]);

/**
 * One Intl formatter per language and kind, made the first time it is needed: making one costs
 * far more than using it (on a slow phone the home screen spent 80 ms making number formatters,
 * one per number shown).
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();
function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(kind: string, make: (locales: string[]) => F): F {
  const key = `${lang.value} ${kind}`;
  let found = formatters.get(key) as F | undefined;
  if (!found) {
    found = make(locale());
    formatters.set(key, found);
  }
  return found;
}

/**
 * Small whole numbers in English are their plain digits ("3 to read"), so the first screen needs
 * no number formatter at all: the first Intl formatter a page makes loads its locale data, about
 * 70 ms on a slow phone. Other languages have their own digits and go through Intl.
 */
export const formatNumber = (n: number): string =>
  lang.value === "en" && Number.isInteger(n) && Math.abs(n) < 1000 ? String(n) : formatter("number", (l) => new Intl.NumberFormat(l)).format(n);

/**
 * Whether this browser's Intl knows the language. Chromium ships a reduced ICU without Pashto,
 * where Intl would answer in British English ("4 December"): month names and "and" then come
 * from our own catalogue (`date.month.N`, `list.and`), with Intl's digits and times.
 */
const known = new Map<Lang, boolean>([["en", true]]);
function intlKnows(code: Lang): boolean {
  let answer = known.get(code);
  if (answer === undefined) {
    answer = Intl.DateTimeFormat.supportedLocalesOf([code]).length > 0;
    known.set(code, answer);
  }
  return answer;
}

const monthKey = (month: number) => `date.month.${month}` as MessageKey;

/** A calendar date from the API ("2026-12-04"), shown without a time-zone shift. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  // English in the catalogue's words ("4 December 2026", as Intl's en-GB says it): no formatter
  // to make on the first screen (see formatNumber). A language Intl does not know, the same way.
  if (lang.value === "en" || !intlKnows(lang.value)) return t("date.long", { day: formatNumber(d ?? 1), month: t(monthKey(m ?? 1)), year: String(y ?? 1970) });
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return formatter("date", (l) => new Intl.DateTimeFormat(l, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })).format(date);
}

export const formatTime = (at: Date): string =>
  formatter("time", (l) => new Intl.DateTimeFormat(l, { hour: "2-digit", minute: "2-digit" })).format(at);

export const formatDateTime = (at: Date): string =>
  intlKnows(lang.value)
    ? formatter("dateTime", (l) => new Intl.DateTimeFormat(l, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })).format(at)
    : t("date.dayTime", { day: at.getDate(), month: t(monthKey(at.getMonth() + 1)), time: formatTime(at) });

/** Money arrives as a decimal string in pounds ("1234.50"). */
export function formatMoney(gbp: string): string {
  // Digits and order in the language's own way, but the sign is "£" in every language: Arabic's
  // own symbol for the pound is "UK£", Latin letters on an Arabic screen.
  return formatter("money", (l) => new Intl.NumberFormat(l, { style: "currency", currency: "GBP" }))
    .formatToParts(Number(gbp))
    .map((part) => (part.type === "currency" ? "£" : part.value))
    .join("");
}

export const isToday = (at: Date): boolean => at.toDateString() === new Date().toDateString();

/** Text from elsewhere (a name, an English title) set inside a right-to-left line, isolated. */
export const isolated = (text: string): string => (RTL.has(lang.value) ? FSI + text + PDI : text);

/** "a, b and c" in the chosen language, each item isolated. */
export function formatList(items: readonly string[]): string {
  // English in the catalogue's words, as for dates (see formatNumber).
  if (lang.value !== "en" && intlKnows(lang.value)) return formatter("list", (l) => new Intl.ListFormat(l, { type: "conjunction" })).format(items.map(isolated));
  const shown = items.map(isolated);
  const last = shown.pop();
  return shown.length === 0 ? (last ?? "") : t("list.and", { some: shown.join(t("list.comma")), last: last ?? "" });
}

/** A sentence split around one placeholder, so the screen can put a link (a phone number) there. */
export function tAround(key: MessageKey, name: string): [string, string] {
  const marker = "\u0000";
  // The screen isolates what goes there itself (an element with its own `dir`).
  const [before = "", after = ""] = t(key, { [name]: marker }).split(marker);
  return [before.replace(new RegExp(`${FSI}$`), ""), after.replace(new RegExp(`^${PDI}`), "")];
}

/** Whether a key built from a server code ("documents.type.{key}.name") is one we word. */
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(english.value, key);

/**
 * Words for a server code where we have them, else the server's own English, saying which: the
 * screen marks English it could not word with `lang="en"` (as an untranslated rights page is).
 */
export function worded(key: string, english: string, params?: Readonly<Record<string, string | number>>): { text: string; lang: Lang } {
  return isMessageKey(key) ? { text: t(key, params), lang: lang.value } : { text: english, lang: "en" };
}
