/** A tiny history router: the API's SPA fallback serves index.html for every app path. */
import { signal } from "@preact/signals";

export const path = signal(location.pathname);

export function navigate(to: string, replace = false): void {
  if (to === location.pathname) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  path.value = to;
  // Move focus to the new page's heading, as a full page load would (WCAG 2.4.3).
  queueMicrotask(() => document.querySelector<HTMLElement>("main h1")?.focus());
}

addEventListener("popstate", () => {
  path.value = location.pathname;
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
