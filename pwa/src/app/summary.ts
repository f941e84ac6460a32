/** The home summary, shared by Home and Get help now (which must work offline from it). */
import { api, call } from "../api/client";

export const summaryKey = "summary";
export const loadSummary = () => call(api.GET("/api/v1/young-people/{yp}/summary", { params: { path: { yp: "me" } } }));
