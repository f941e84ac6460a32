import { useEffect, useState } from "preact/hooks";
import { api, call, type components } from "../api/client";
import { ApiError } from "../api/errors";
import { getBranding, signOut } from "../api/session";
import { t } from "../i18n";
import { st } from "../i18n/staff.en";
import { signedIn } from "../ui/auth";
import { applyBrand } from "../ui/brand";
import { Header } from "../ui/Header";
import { match, path } from "../ui/router";
import { ServiceNavigation } from "../ui/ServiceNavigation";
import { forgetResources } from "../ui/useResource";
import { Account } from "./account/Account";
import { adminPage } from "./admin/AdminPages";
import { Case } from "./case/Case";
import { Caseload } from "./caseload/Caseload";
import { Figures } from "./figures/Figures";
import { Names } from "./figures/Names";
import { isMeasure } from "./figures/state";
import { idleState, watchIdle } from "./idle/idle";
import { IdleWarning } from "./idle/IdleWarning";
import { MyDay } from "./my-day/MyDay";
import { Providers } from "./providers/Providers";
import { Queues } from "./queues/Queues";
import { StaffSignIn } from "./sign-in/StaffSignIn";

type Me = components["schemas"]["MeRead"];

const HOME = "/staff/";

/** The staff console at /staff/: sign in (with a code when required), then My day, Caseload and a case. */
export function StaffApp() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [council, setCouncil] = useState<string | null>(null);

  const whoAmI = async () => {
    try {
      const found = (await call(api.GET("/api/v1/users/me"))).data;
      setMe(found);
      signedIn.value = "yes";
    } catch (e) {
      // Signed out, or no answer: either way the sign-in form is what can help.
      if (e instanceof ApiError) setMe(null);
      else setMe(null);
    }
  };
  useEffect(() => {
    void whoAmI();
    getBranding().then(
      (b) => {
        setCouncil(b.name);
        applyBrand(b.colour);
      },
      () => undefined,
    );
  }, []);

  // A 401 from any screen (useResource) ends the session here too.
  useEffect(() => {
    if (signedIn.value === "no" && me) setMe(null);
  }, [signedIn.value, me]);

  const leave = async () => {
    await signOut().catch(() => undefined);
    forgetResources();
    signedIn.value = "no";
    setMe(null);
  };

  const staff = me !== undefined && me !== null && me.role !== "young_person";
  useEffect(() => {
    if (!staff) return;
    return watchIdle(() => void leave());
  }, [staff]);

  const [pathname, hash] = splitPath(path.value);
  const items = [
    { href: HOME, label: st("myDay.title"), exact: true },
    { href: "/staff/caseload", label: st("caseload.title") },
    // The manager's screens; the API refuses a PA these reports, so they see them only as a manager or admin.
    ...(me && (me.role === "manager" || me.role === "admin")
      ? [
          { href: "/staff/figures", label: st("nav.figures") },
          { href: "/staff/queues", label: st("nav.queues") },
          { href: "/staff/providers", label: st("nav.providers") },
        ]
      : []),
    ...(me?.role === "admin" ? [{ href: "/staff/admin", label: st("nav.admin") }] : []),
    { href: "/staff/account", label: st("nav.account") },
  ];
  // A case belongs under Caseload in the navigation.
  const current = pathname.startsWith("/staff/young-people") ? "/staff/caseload" : pathname === "/staff" ? HOME : pathname;

  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        {t("app.skip")}
      </a>
      <Header name={council ? `${council} · ${st("staff.name")}` : st("staff.name")} logoUrl={null} home={HOME} />
      {staff && (
        <ServiceNavigation
          items={items}
          current={current}
          end={
            <p class="govuk-body-s staff-signout">
              {st("staff.signedInAs", { name: me.display_name })}{" "}
              <button type="button" class="staff-link-button" onClick={() => void leave()}>
                {st("staff.signOut")}
              </button>
            </p>
          }
        />
      )}
      <div class="govuk-width-container">
        <main class="govuk-main-wrapper" id="main-content">
          {staff && <IdleWarning />}
          {me === undefined ? (
            <p class="govuk-body" role="status">
              {t("app.loading")}
            </p>
          ) : me === null ? (
            <>
              {idleState.value === "ended" && <p class="govuk-inset-text">{st("idle.signedOut")}</p>}
              <StaffSignIn onSignedIn={() => void whoAmI()} />
            </>
          ) : me.role === "young_person" ? (
            <p class="govuk-body">{st("staff.notStaff")}</p>
          ) : (
            <Page pathname={pathname} hash={hash} />
          )}
        </main>
      </div>
    </>
  );
}

function splitPath(value: string): [string, string] {
  const at = value.indexOf("#");
  const pathname = at < 0 ? value : value.slice(0, at);
  const hash = at < 0 ? location.hash.slice(1) : value.slice(at + 1);
  return [pathname, hash];
}

function Page({ pathname, hash }: { pathname: string; hash: string }) {
  if (match("/staff/caseload", pathname)) return <Caseload />;
  if (match("/staff/figures", pathname)) return <Figures />;
  const figure = match("/staff/figures/:measure", pathname) ?? match("/staff/figures/:measure/:part", pathname);
  if (figure?.measure && isMeasure(figure.measure)) return <Names measure={figure.measure} part={figure.part ?? null} />;
  if (match("/staff/queues", pathname)) return <Queues />;
  if (match("/staff/providers", pathname)) return <Providers />;
  if (match("/staff/account", pathname)) return <Account />;
  const admin = adminPage(pathname);
  if (admin) return admin;
  const person = match("/staff/young-people/:id", pathname);
  if (person?.id) return <Case id={person.id} section={hash} />;
  return <MyDay />;
}
