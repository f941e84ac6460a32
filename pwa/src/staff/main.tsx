import { render } from "preact";
import "../ui/styles/app.scss";
import "../ui/styles/screens.scss";
import "./staff.scss";
import { addEnglish, setLanguage } from "../i18n";
import { enLater } from "../i18n/en.later";
import { StaffApp } from "./StaffApp";

// Staff work in English, all of it at once (the console shows the app's screens in its preview);
// the console never registers the young person's service worker.
addEnglish(enLater);
void setLanguage("en").finally(() => {
  const root = document.getElementById("app");
  if (root) render(<StaffApp />, root);
});
