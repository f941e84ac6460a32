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
// 401 says "signed out" as well as /users/me's would), the language and the branding. Only the
// language (no English flash on an Arabic phone) and the PIN check (nothing shown before it)
// must finish before anything is drawn. The branding is a signal: the header, colour and
// out-of-hours number redraw when it lands, a round trip the first screen need not wait for.
void whoIsSignedIn();
if (location.pathname === "/") prefetch(summaryKey, loadSummary);
void loadBranding();
void Promise.all([startLanguage(), startLock()]).finally(() => {
  const root = document.getElementById("app");
  if (root) render(<App />, root);
});
