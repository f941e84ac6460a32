import { render } from "preact";
import "../ui/styles/app.scss";
import { appStarting } from "../api/early";
import { startingLanguage, startLanguage } from "../i18n";
import { registerServiceWorker } from "../offline/register";
import { prefetch } from "../ui/useResource";
import { App, whoIsSignedIn } from "./App";
import { loadBranding } from "./branding";
import { startLock } from "./lock/pin";
import { loadSummary, summaryKey } from "./summary";

appStarting();
registerServiceWorker();
// Everything the first screen needs goes out at once: who is signed in, home's summary (its
// 401 says "signed out" as well as /users/me's would) in the language the app is starting in,
// the language and the branding. Most of them were sent before this script arrived
// (public/early-requests.js); these calls take those answers. Only the PIN check (on the
// phone) must finish before anything is drawn.
void whoIsSignedIn();
if (location.pathname === "/") prefetch(summaryKey, () => loadSummary(startingLanguage()));
void Promise.all([startLanguage(), loadBranding(), startLock()]).finally(() => {
  const root = document.getElementById("app");
  if (root) render(<App />, root);
});
