import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { st, type StaffKey } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { ProblemView } from "../../ui/ProblemView";
import { useResource } from "../../ui/useResource";
import { CheckField, errorFor, invalidText, Saved, saveErrors, TextField } from "./fields";

type Org = components["schemas"]["OrganisationRead"];
type Update = components["schemas"]["OrganisationUpdate"];
type Key = keyof Update & keyof Org;
type Kind = "text" | "tel" | "colour" | "path" | "number" | "time" | "yesno";
interface Spec {
  key: Key;
  kind: Kind;
  /** Left empty, the field is cleared (sent as null); otherwise empty is not sent at all. */
  clearable?: boolean;
}

// One line per setting: its label is "admin.org.<key>" and its hint, if any, "admin.org.<key>.hint"
// in the staff catalogue. A setting the API adds is one more line.
const FIELDS: readonly Spec[] = [
  { key: "name", kind: "text" },
  { key: "short_name", kind: "text", clearable: true },
  { key: "discreet_name", kind: "text", clearable: true },
  { key: "brand_colour", kind: "colour" },
  { key: "logo_url", kind: "path", clearable: true },
  { key: "office_phone", kind: "tel", clearable: true },
  { key: "out_of_hours_phone", kind: "tel", clearable: true },
  { key: "office_opens", kind: "time" },
  { key: "office_closes", kind: "time" },
  { key: "quiet_from", kind: "time" },
  { key: "quiet_until", kind: "time" },
  { key: "caseload_max", kind: "number" },
  { key: "plans_need_manager_approval", kind: "yesno" },
  { key: "require_staff_mfa", kind: "yesno" },
];

type Value = string | boolean;
const PREFIX = "org-";

const shown = (spec: Spec, org: Org): Value => {
  const value: unknown = org[spec.key];
  if (spec.kind === "yesno") return value === true;
  return value === null || value === undefined ? "" : String(value);
};

/** What to send for one field, or undefined when it has not changed. */
function change(spec: Spec, before: Value, now: Value): unknown {
  if (now === before) return undefined;
  if (typeof now === "boolean") return now;
  const text = now.trim();
  if (text === "") return spec.clearable ? null : undefined;
  return spec.kind === "number" ? Number(text) : text;
}

/** The setting's hint from the catalogue, if it has one (st gives back the key when not). */
const hintOf = (key: Key): string | undefined => {
  const k = `admin.org.${key}.hint` as StaffKey;
  const text = st(k);
  return text === k ? undefined : text;
};

/** The council's settings: names, colour, logo, the numbers to call, plan approval and staff codes. */
export function Organisation() {
  const resource = useResource("staff:organisation", () => call(api.GET("/api/v1/organisation")));
  // Only what the admin has changed: the settings can be fetched again in the background (another
  // tab saved, the cache refreshed) and that must never wipe what is being typed.
  const [edits, setEdits] = useState<Partial<Record<Key, Value>>>({});
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const org = resource.data;

  const save = async (event: Event) => {
    event.preventDefault();
    if (!org || saving) return;
    const body: Record<string, unknown> = {};
    for (const spec of FIELDS) {
      const sent = change(spec, shown(spec, org), edits[spec.key] ?? shown(spec, org));
      if (sent !== undefined) body[spec.key] = sent;
    }
    setSaved(null);
    setErrors([]);
    if (Object.keys(body).length === 0) {
      setSaved(st("admin.org.nothing"));
      return;
    }
    setSaving(true);
    try {
      const updated = (await call(api.PATCH("/api/v1/organisation", { body: body as Update }))).data;
      resource.replace(updated);
      setEdits({});
      setSaved(st("admin.org.saved"));
    } catch (e) {
      setErrors(saveErrors(e, PREFIX, invalidText("admin.org")));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("admin.organisation.title")}
      </h1>
      {!org && resource.error && <ProblemView error={resource.error} retry={resource.reload} />}
      {!org && !resource.error && (
        <p class="govuk-body" role="status">
          {st("admin.loading")}
        </p>
      )}
      {org && (
        <form onSubmit={(e) => void save(e)} noValidate>
          <ErrorSummary items={errors} />
          <Saved text={saved} />
          {FIELDS.map((spec) => {
            const id = PREFIX + spec.key;
            const label = st(`admin.org.${spec.key}` as StaffKey);
            const hint = hintOf(spec.key);
            const value = edits[spec.key] ?? shown(spec, org);
            const set = (v: Value) => setEdits((all) => ({ ...all, [spec.key]: v }));
            if (spec.kind === "yesno")
              return (
                <CheckField
                  key={spec.key}
                  id={id}
                  label={label}
                  hint={hint}
                  checked={value === true}
                  onChange={set}
                  error={errorFor(errors, id)}
                />
              );
            return (
              <TextField
                key={spec.key}
                id={id}
                label={label}
                hint={hint}
                value={String(value)}
                onInput={set}
                error={errorFor(errors, id)}
                type={spec.kind === "tel" ? "tel" : "text"}
                width={WIDTH[spec.kind]}
                inputMode={spec.kind === "number" ? "numeric" : undefined}
                spellcheck={spec.kind === "text" ? undefined : false}
              />
            );
          })}
          <button type="submit" class="govuk-button" disabled={saving} aria-disabled={saving}>
            {st("admin.org.save")}
          </button>
        </form>
      )}
    </>
  );
}

const WIDTH: Record<Kind, 2 | 3 | 4 | 5 | 10 | 20 | 30 | undefined> = {
  text: 20,
  tel: 20,
  colour: 10,
  path: 30,
  number: 3,
  time: 5,
  yesno: undefined,
};
