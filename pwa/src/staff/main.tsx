import { render } from "preact";
import "../ui/styles/app.scss";
import "../ui/styles/screens.scss";
import "./staff.scss";
import { setLanguage } from "../i18n";
import { StaffApp } from "./StaffApp";

// Staff work in English; the console never registers the young person's service worker.
void setLanguage("en").finally(() => {
  const root = document.getElementById("app");
  if (root) render(<StaffApp />, root);
});
