import { render } from "preact";
import "../ui/styles/app.scss";
import { startLanguage } from "../i18n";
import { registerServiceWorker } from "../offline/register";
import { App } from "./App";
import { loadBranding } from "./branding";

registerServiceWorker();
void Promise.all([startLanguage(), loadBranding()]).finally(() => {
  const root = document.getElementById("app");
  if (root) render(<App />, root);
});
