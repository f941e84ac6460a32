import { useEffect } from "preact/hooks";
import { api, call } from "../api/client";
import { takeEarly } from "../api/early";
import { ApiError } from "../api/errors";
import { awaitingReview, t } from "../i18n";
import { startOutbox } from "../offline/outbox";
import { myUserId, signedIn } from "../ui/auth";
import { Header } from "../ui/Header";
import { LanguageNavigation } from "../ui/LanguageNavigation";
import { Link } from "../ui/Link";
import { lazyScreen } from "../ui/lazy";
import { match, navigate, path } from "../ui/router";
import { ServiceNavigation } from "../ui/ServiceNavigation";
import { ExitThisPage } from "../ui/ExitThisPage";
import { branding } from "./branding";
import { locked } from "./lock/pin";
import { PinScreen } from "./lock/PinScreen";
import { discreet, exitEverywhere } from "./preferences";
import { Home } from "./home/Home";
import { SignIn } from "./sign-in/SignIn";
import type { Step } from "./where-i-live/report";

// Every screen but Home loads when first opened.
const GetHelp = lazyScreen(() => import("./help/GetHelp").then((m) => m.GetHelp));
const Messages = lazyScreen(() => import("./messages/Messages").then((m) => m.Messages));
const CheckIn = lazyScreen(() => import("./check-in/CheckIn").then((m) => m.CheckIn));
const Plan = lazyScreen(() => import("./plan/Plan").then((m) => m.Plan));
const Documents = lazyScreen(() => import("./documents/Documents").then((m) => m.Documents));
const RightsList = lazyScreen(() => import("./rights/RightsList").then((m) => m.RightsList));
const RightsPage = lazyScreen<{ slug: string }>(() => import("./rights/RightsPage").then((m) => m.RightsPage));
const Money = lazyScreen(() => import("./money/Money").then((m) => m.Money));
const Settings = lazyScreen(() => import("./settings/Settings").then((m) => m.Settings));
const SetPin = lazyScreen(() => import("./settings/SetPin").then((m) => m.SetPin));
const WhereILive = lazyScreen(() => import("./where-i-live/WhereILive").then((m) => m.WhereILive));
const Report = lazyScreen<{ step: Step; fromCheck?: boolean }>(() => import("./where-i-live/Report").then((m) => m.Report));
const ReportSent = lazyScreen(() => import("./where-i-live/ReportSent").then((m) => m.ReportSent));
const Records = lazyScreen(() => import("./records/Records").then((m) => m.Records));
// Before sign-in: setting up from the invite link, and getting back in.
const Invite = lazyScreen<{ onSignedIn: () => void }>(() => import("./invite/Invite").then((m) => m.Invite));
const ForgotPassword = lazyScreen(() => import("./password/ForgotPassword").then((m) => m.ForgotPassword));
const ForgotPasswordSent = lazyScreen(() => import("./password/ForgotPasswordSent").then((m) => m.ForgotPasswordSent));
const ResetPassword = lazyScreen<{ onSignedIn: () => void }>(() => import("./password/ResetPassword").then((m) => m.ResetPassword));

const STEPS: readonly Step[] = ["what", "details", "urgency", "name", "check"];
const isStep = (s: string | undefined): s is Step => STEPS.includes(s as Step);

/** Screens anyone may open, signed in or not. */
const PUBLIC = ["/help", "/invite", "/forgot-password", "/forgot-password/sent", "/reset-password"];

/** Screens where Exit this page always shows (UX.md §5): a PA conversation, problems at home. */
const EXIT_ON = ["/messages", "/where-i-live"];

export async function whoIsSignedIn(): Promise<void> {
  try {
    const { data } = await call(api.GET("/api/v1/users/me", { fetch: takeEarly("me") }));
    myUserId.value = data.id;
    signedIn.value = "yes";
  } catch (e) {
    // Offline with a session from before: show what was saved rather than a sign-in form.
    signedIn.value = e instanceof ApiError && e.kind === "signed_out" ? "no" : "yes";
  }
}

function signedInNow(): void {
  void whoIsSignedIn().then(() => navigate("/", true));
}

function Route({ at }: { at: string }) {
  if (at === "/" || at === "") return <Home />;
  if (match("/invite", at)) return <Invite onSignedIn={signedInNow} />;
  if (match("/forgot-password", at)) return <ForgotPassword />;
  if (match("/forgot-password/sent", at)) return <ForgotPasswordSent />;
  if (match("/reset-password", at)) return <ResetPassword onSignedIn={signedInNow} />;
  if (match("/where-i-live", at)) return <WhereILive />;
  if (match("/where-i-live/report/sent", at)) return <ReportSent />;
  const step = match("/where-i-live/report/:step", at)?.["step"];
  if (isStep(step)) return <Report key={step} step={step} />;
  const change = match("/where-i-live/report/:step/change", at)?.["step"];
  if (isStep(change)) return <Report key={`${change}-change`} step={change} fromCheck />;
  if (match("/records", at)) return <Records />;
  if (match("/help", at)) return <GetHelp />;
  if (match("/messages", at)) return <Messages />;
  if (match("/check-in", at)) return <CheckIn />;
  if (match("/plan", at)) return <Plan />;
  if (match("/documents", at)) return <Documents />;
  if (match("/rights", at)) return <RightsList />;
  const page = match("/rights/:slug", at);
  if (page?.["slug"]) return <RightsPage slug={page["slug"]} />;
  if (match("/money", at)) return <Money />;
  if (match("/settings", at)) return <Settings />;
  if (match("/settings/pin", at)) return <SetPin />;
  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {t("error.notFound")}
      </h1>
      <Link href="/">{t("app.home")}</Link>
    </>
  );
}

export function App() {
  useEffect(() => {
    void startOutbox();
  }, []);

  const b = branding.value;
  // Discreet mode (kept on this phone): the council's neutral name in the header, the app
  // switcher and the tab; otherwise its own name.
  const name = (discreet.value ? b?.discreet_name : b?.name) ?? t("app.defaultName");
  useEffect(() => {
    document.title = name;
  }, [name]);
  const items = [
    { href: "/", label: t("app.home") },
    { href: "/messages", label: t("nav.messages") },
    { href: "/plan", label: t("nav.plan") },
    { href: "/documents", label: t("nav.documents") },
    { href: "/rights", label: t("nav.rights") },
    { href: "/where-i-live", label: t("nav.place") },
    { href: "/records", label: t("nav.records") },
    { href: "/settings", label: t("nav.settings") },
  ];
  const state = signedIn.value;
  const at = path.value;
  const isPublic = PUBLIC.some((p) => match(p, at) !== null);
  const exitShown = state === "yes" && (exitEverywhere.value || EXIT_ON.some((p) => at === p || at.startsWith(`${p}/`)));
  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        {t("app.skip")}
      </a>
      <Header name={name} logoUrl={b?.logo_url ?? null} home="/" />
      <ServiceNavigation items={state === "yes" && !locked.value ? items : []} current={path.value} end={<LanguageNavigation />} />
      <div class="govuk-width-container">
        {/* WCAG 3.2.6: help is in the same place on every screen, signed in or not. */}
        <p class="app-help-now">
          <Link href="/help" class="govuk-link app-help-now__link">
            {t("nav.help")}
          </Link>
        </p>
        <ExitThisPage shown={exitShown} />
        <main class="govuk-main-wrapper" id="main-content">
          {state === "yes" && locked.value ? (
            <PinScreen />
          ) : state === "unknown" ? (
            <p class="govuk-body" role="status">
              {t("app.loading")}
            </p>
          ) : state === "no" && !isPublic ? (
            <SignIn onSignedIn={() => void whoIsSignedIn()} />
          ) : (
            <Route at={at} />
          )}
        </main>
        {awaitingReview.value && <p class="govuk-body-s app-translation-note">{t("app.translationNote")}</p>}
      </div>
    </>
  );
}
