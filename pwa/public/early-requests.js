// @ts-check
// The first screen's API requests, sent while the app's scripts download: src/api/early.ts says
// why and how the app takes them. Plain and `async` (a module waits for the whole page); a file
// because the CSP forbids inline script. Kept short: it is on a slow phone's critical path.
(function () {
  "use strict";
  // The app started first (its scripts were cached): it has asked for itself.
  if (typeof fetch !== "function" || window.portalEarly) return;

  /** @param {string} key */
  function kept(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  /** @param {unknown} code */
  function known(code) {
    return code === "en" || code === "ar" || code === "ps";
  }

  // startingLanguage's order (src/i18n/index.ts); if the two differ the app asks again.
  var first = [new URLSearchParams(location.search).get("lang"), kept("portal.lang"), kept("portal.lang.recorded"), navigator.language.slice(0, 2)];
  var lang = first.filter(known)[0] || "en";

  /**
   * @param {string} path
   * @param {Record<string, string>} [extra]
   */
  function get(path, extra) {
    var answer = fetch(path, { credentials: "same-origin", headers: Object.assign({ "X-Requested-With": "portal" }, extra) });
    answer.catch(function () {}); // one the app does not take must not log an unhandled rejection
    return answer;
  }

  /** @type {import("../src/api/early").EarlyRequests} */
  var early = { lang: lang, me: get("/api/v1/users/me"), branding: get("/api/v1/branding") };
  // Only home needs the summary first; elsewhere it would spend the phone's data for nothing.
  if (location.pathname === "/") early.summary = get("/api/v1/young-people/me/summary", { "Accept-Language": lang });
  window.portalEarly = early;
})();
