import { useEffect } from "preact/hooks";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { t } from "../i18n";
import { startOutbox } from "../offline/outbox";
import { myUserId, signedIn } from "../ui/auth";
import { Header } from "../ui/Header";
import { LanguageNavigation } from "../ui/LanguageNavigation";
import { Link } from "../ui/Link";
import { lazyScreen } from "../ui/lazy";
import { match, path } from "../ui/router";
import { ServiceNavigation } from "../ui/ServiceNavigation";
import { branding } from "./branding";
import { Home } from "./home/Home";
import { SignIn } from "./sign-in/SignIn";

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

async function whoIsSignedIn(): Promise<void> {
  try {
    const { data } = await call(api.GET("/api/v1/users/me"));
    myUserId.value = data.id;
    signedIn.value = "yes";
  } catch (e) {
    // Offline with a session from before: show what was saved rather than a sign-in form.
    signedIn.value = e instanceof ApiError && e.kind === "signed_out" ? "no" : "yes";
  }
}

function Route({ at }: { at: string }) {
  if (at === "/" || at === "") return <Home />;
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
    void whoIsSignedIn();
    void startOutbox();
  }, []);

  const b = branding.value;
  const name = b?.discreet_name ?? t("app.defaultName");
  const items = [
    { href: "/", label: t("app.home") },
    { href: "/messages", label: t("nav.messages") },
    { href: "/plan", label: t("nav.plan") },
    { href: "/documents", label: t("nav.documents") },
    { href: "/rights", label: t("nav.rights") },
    { href: "/settings", label: t("nav.settings") },
  ];
  const state = signedIn.value;
  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        {t("app.skip")}
      </a>
      <Header name={name} logoUrl={b?.logo_url ?? null} home="/" />
      <ServiceNavigation items={state === "yes" ? items : []} current={path.value} end={<LanguageNavigation />} />
      <div class="govuk-width-container">
        {/* WCAG 3.2.6: help is in the same place on every screen, signed in or not. */}
        <p class="app-help-now">
          <Link href="/help" class="govuk-link app-help-now__link">
            {t("nav.help")}
          </Link>
        </p>
        <main class="govuk-main-wrapper" id="main-content">
          {state === "unknown" ? (
            <p class="govuk-body" role="status">
              {t("app.loading")}
            </p>
          ) : state === "no" && path.value !== "/help" ? (
            <SignIn onSignedIn={() => void whoIsSignedIn()} />
          ) : (
            <Route at={path.value} />
          )}
        </main>
      </div>
    </>
  );
}
