/** The young person's own choices on their account: GET/PATCH /users/me/preferences. */
import { api, call, type components } from "../../api/client";

export type Preferences = components["schemas"]["PreferencesRead"];
export type PreferencesUpdate = components["schemas"]["PreferencesUpdate"];
export type Channel = Preferences["notify_by"][number];

export const preferencesKey = "preferences";
export const loadPreferences = () => call(api.GET("/api/v1/users/me/preferences"));
export const savePreferences = async (body: PreferencesUpdate): Promise<Preferences> =>
  (await call(api.PATCH("/api/v1/users/me/preferences", { body }))).data;
