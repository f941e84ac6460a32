/**
 * TEMPORARY, hand-typed: the browser sign-in contract another branch is adding to the API
 * (cookie login/logout, public branding). These paths are not in openapi/openapi.json yet; once
 * the lead merges that branch and `npm run gen:api` picks them up, replace every function here
 * with the typed client (src/api/client.ts) and delete this file. Nothing else may call fetch.
 */
import { CSRF_HEADER } from "./client";
import { ApiError, errorFromResponse, offlineError } from "./errors";

export interface Branding {
  name: string;
  short_name: string;
  discreet_name: string;
  /** "#rrggbb" */
  colour: string;
  logo_url: string | null;
  out_of_hours_phone: string | null;
  vapid_public_key: string | null;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: "same-origin",
      headers: { ...CSRF_HEADER, ...(init.headers as Record<string, string> | undefined) },
    });
  } catch {
    throw offlineError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** POST /api/v1/auth/cookie/login → 204 and an HttpOnly session cookie; 400/401/429 problem+json. */
export async function signIn(username: string, password: string, otp?: string): Promise<void> {
  const form = new URLSearchParams({ username, password });
  if (otp) form.set("otp", otp);
  await send("/api/v1/auth/cookie/login", { method: "POST", body: form });
}

/** POST /api/v1/auth/cookie/logout → 204; a 401 means the session had already ended. */
export async function signOut(): Promise<void> {
  try {
    await send("/api/v1/auth/cookie/logout", { method: "POST" });
  } catch (e) {
    if (!(e instanceof ApiError && e.kind === "signed_out")) throw e;
  }
}

/** GET /api/v1/branding: public, before sign-in (council name and colour, out-of-hours number). */
export async function getBranding(): Promise<Branding> {
  const response = await send("/api/v1/branding", { method: "GET" });
  return (await response.json()) as Branding;
}
