/**
 * Links from an SMS or email carry their token after `#` (`/invite#token=…`), so it never
 * reaches a server log. Read once, then taken out of the address bar and the history, so the
 * next person on a shared phone cannot open it again from there.
 */
export function takeHashToken(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (location.hash) history.replaceState(history.state, "", location.pathname + location.search);
  return token && token.length >= 10 && token.length <= 200 ? token : null;
}
