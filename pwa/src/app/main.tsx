import { render } from "preact";
import "../ui/styles/app.scss";
import { startLanguage } from "../i18n";
import { registerServiceWorker } from "../offline/register";
import { prefetch } from "../ui/useResource";
import { App, whoIsSignedIn } from "./App";
import { loadBranding } from "./branding";
import { startLock } from "./lock/pin";
import { loadSummary, summaryKey } from "./summary";

registerServiceWorker();
// Everything the first screen needs goes out at once: who is signed in, home's summary (its
// 401 says "signed out" as well as /users/me's would), the language and the branding. Only
// the PIN check (on the phone) must finish before anything is drawn.
void whoIsSignedIn();
if (location.pathname === "/") prefetch(summaryKey, loadSummary);
void Promise.all([startLanguage(), loadBranding(), startLock()]).finally(() => {
  const root = document.getElementById("app");
  if (root) render(<App />, root);
});
