import { useEffect, useState } from "preact/hooks";
import { api, call, type components } from "../api/client";
import { ApiError } from "../api/errors";
import { getBranding, signOut } from "../api/session";
import { t } from "../i18n";
import { st } from "../i18n/staff.en";
import { applyBrand } from "../ui/brand";
import { Header } from "../ui/Header";
import { MyDay } from "./my-day/MyDay";
import { StaffSignIn } from "./sign-in/StaffSignIn";

type Me = components["schemas"]["MeRead"];

/** The staff console at /staff/: sign in (with a code when required), then My day. */
export function StaffApp() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [council, setCouncil] = useState<string | null>(null);

  const whoAmI = async () => {
    try {
      setMe((await call(api.GET("/api/v1/users/me"))).data);
    } catch (e) {
      if (e instanceof ApiError && e.kind === "signed_out") setMe(null);
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

  const leave = async () => {
    await signOut().catch(() => undefined);
    setMe(null);
  };

  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        {t("app.skip")}
      </a>
      <Header name={council ? `${council} · ${st("staff.name")}` : st("staff.name")} logoUrl={null} home="/staff/" />
      <div class="govuk-width-container">
        <main class="govuk-main-wrapper" id="main-content">
          {me === undefined ? (
            <p class="govuk-body" role="status">
              {t("app.loading")}
            </p>
          ) : me === null ? (
            <StaffSignIn onSignedIn={() => void whoAmI()} />
          ) : me.role === "young_person" ? (
            <p class="govuk-body">{st("staff.notStaff")}</p>
          ) : (
            <MyDay name={me.display_name} onSignOut={() => void leave()} />
          )}
        </main>
      </div>
    </>
  );
}
