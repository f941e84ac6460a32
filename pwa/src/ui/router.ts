/** A tiny history router: the API's SPA fallback serves index.html for every app path. */
import { signal } from "@preact/signals";

/** The path (and any "#part") a screen is chosen by; the query is kept apart, in `search`. */
export const path = signal(location.pathname);
/** The address's query ("?as_of=…" or ""): what a screen shows, so reload and back keep it. */
export const search = signal(location.search);

/** "/a?b=1#c" → ["/a#c", "?b=1"]. */
function splitSearch(to: string): [string, string] {
  const hashAt = to.indexOf("#");
  const beforeHash = hashAt < 0 ? to : to.slice(0, hashAt);
  const hash = hashAt < 0 ? "" : to.slice(hashAt);
  const queryAt = beforeHash.indexOf("?");
  return queryAt < 0 ? [beforeHash + hash, ""] : [beforeHash.slice(0, queryAt) + hash, beforeHash.slice(queryAt)];
}

export function navigate(to: string, replace = false): void {
  if (to === location.pathname || to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  [path.value, search.value] = splitSearch(to);
  // Move focus to the new page's heading, as a full page load would (WCAG 2.4.3).
  queueMicrotask(() => document.querySelector<HTMLElement>("main h1")?.focus());
}

/**
 * Change only the query of this screen's address (a new date chosen): a new history entry, so
 * back returns to the last one, or in place (`replace`) to write down what is already shown.
 * Focus stays where it is: the person is still on the same screen.
 */
export function setSearch(query: string, replace = false): void {
  const next = query && !query.startsWith("?") ? `?${query}` : query;
  if (next === location.search) return;
  const to = location.pathname + next + location.hash;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  search.value = next;
}

addEventListener("popstate", () => {
  path.value = location.pathname;
  search.value = location.search;
});

/** Matches "/rights/:slug" style patterns; returns the parameters or null. */
export function match(pattern: string, at: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = at.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const g = got[i] ?? "";
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}
