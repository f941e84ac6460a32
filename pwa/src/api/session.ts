/**
 * Signing in and out of the browser session, and the council's public branding: the typed client
 * over the API's cookie routes, shared by the young person's app and the staff console.
 */
import { api, call, type components } from "./client";
import { ApiError } from "./errors";

export type Branding = components["schemas"]["BrandingRead"];
type LoginForm = components["schemas"]["Body_login_browser"];

/**
 * POST /auth/cookie/login: 204 and an HttpOnly session cookie; 401/422/429 problem+json.
 * `sharedDevice`: a few hours' session whose cookie ends with the browser, answers not kept.
 */
export async function signIn(username: string, password: string, otp?: string, sharedDevice = false): Promise<void> {
  // A form post: an absent otp must be left out, not sent as the word "undefined".
  const base = { username, password, scope: "", shared_device: sharedDevice };
  const body: LoginForm = otp ? { ...base, otp } : base;
  await call(
    api.POST("/api/v1/auth/cookie/login", {
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
}

/** POST /auth/cookie/logout: 204 whether or not the session had already ended. */
export async function signOut(): Promise<void> {
  try {
    await call(api.POST("/api/v1/auth/cookie/logout"));
  } catch (e) {
    if (!(e instanceof ApiError && e.kind === "signed_out")) throw e;
  }
}

/**
 * GET /branding: public, before sign-in (names, colour, logo, out-of-hours number). `fetch`: the
 * answer already asked for at start (api/early.ts), if any.
 */
export async function getBranding(fetch?: (request: Request) => Promise<Response>): Promise<Branding> {
  return (await call(api.GET("/api/v1/branding", { fetch }))).data;
}
