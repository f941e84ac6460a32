/**
 * Answers to the requests public/early-requests.js sent before the app's scripts arrived.
 *
 * Why: on a slow phone (Slow 4G, 400 ms a round trip) the app's scripts take over a second to
 * arrive, and only then could the app ask who is signed in and for home's summary, one more
 * round trip before anything is drawn. The small plain script in the page's head sends those
 * requests at once, so their answers are waiting when the app starts (bench/README.md, "Phone
 * app", for what it saves).
 *
 * Each answer is taken at most once, at start: a later screen, a sign-in, or a summary wanted
 * in another language than the script guessed asks the network as usual, so the worst a wrong
 * guess costs is the time saved. The requests are the app's own GETs, with the same headers, so
 * the server and the service worker cannot tell them apart.
 */

export interface EarlyRequests {
  /** The language the summary was asked in. */
  lang: string;
  me?: Promise<Response> | undefined;
  branding?: Promise<Response> | undefined;
  summary?: Promise<Response> | undefined;
}

declare global {
  interface Window {
    portalEarly?: EarlyRequests;
  }
}

type Name = "me" | "branding" | "summary";
type Fetch = (request: Request) => Promise<Response>;

const URLS: Record<Name, string> = {
  me: "/api/v1/users/me",
  branding: "/api/v1/branding",
  summary: "/api/v1/young-people/me/summary",
};

/**
 * Called first thing when the app starts. If the early script has not run yet (the app's scripts
 * came from the browser's cache, the page's small script was still being checked), it will find
 * this and send nothing: its answers would come too late, and one from before a sign-in (a 401)
 * must never be taken for the signed-in session's.
 */
export function appStarting(): void {
  window.portalEarly ??= { lang: "" };
}

/**
 * A `fetch` for openapi-fetch that answers the first request for `name` with the early answer,
 * or undefined (ask the network) if there is none, it was taken, or it was asked for another
 * language. A request for any other address goes to the network.
 */
export function takeEarly(name: Name, lang?: string): Fetch | undefined {
  const early = window.portalEarly;
  const pending = early?.[name];
  if (!early || !pending || (lang !== undefined && lang !== early.lang)) return undefined;
  early[name] = undefined;
  return (request) => (new URL(request.url).pathname === URLS[name] ? pending : fetch(request));
}
