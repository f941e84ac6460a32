import { useState } from "preact/hooks";
import { api, call } from "../../../api/client";
import { st, stKey } from "../../../i18n/staff.en";
import { ErrorSummary } from "../../../ui/ErrorSummary";
import type { Resource } from "../../../ui/useResource";
import { formatDate, todayIso } from "../../format";
import { DateField, isoOf, partsOf } from "../DateField";
import { FieldError } from "../FieldError";
import { Section } from "../Section";
import { Done } from "./Done";
import { useSubmit } from "./useSubmit";
import type { components } from "../../../api/client";

type Observation = components["schemas"]["ObservationRead"];
// SSDA903 OC3 code lists (portal_api/people/codes.py): the return and Annex A read these codes.
const IN_TOUCH = ["YES", "NO", "REFU", "NREQ", "RHOM", "DIED"] as const;
const ACTIVITY = ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"] as const;
const PLACES = ["U", "D", "E", "K", "B", "T", "Z", "C", "V", "W", "S", "X", "G", "H", "R", "Y"] as const;

/** Record what the OC3 return counts: in touch, main activity, where they live and if it suits them. */
export function ObservationForm({ id, list }: { id: string; list: Resource<Observation[]> }) {
  const [on, setOn] = useState(() => partsOf(todayIso()));
  const [inTouch, setInTouch] = useState<string>("YES");
  const [activity, setActivity] = useState<string>("F2");
  const [place, setPlace] = useState<string>("U");
  const [suitable, setSuitable] = useState<"1" | "2">("1");
  const form = useSubmit("obs-");

  const save = (e: Event) => {
    e.preventDefault();
    const date = isoOf(on);
    if (date === null || date === "invalid") {
      form.setErrors([{ field: "obs-recorded_on", text: st("contact.badDate") }]);
      return;
    }
    void form
      .run(async () => {
        await call(
          api.POST("/api/v1/young-people/{yp}/observations", {
            params: { path: { yp: id } },
            body: { recorded_on: date, in_touch: inTouch, activity, accommodation: `${place}${suitable}` },
          }),
        );
        return st("obs.saved", { date: formatDate(date) });
      })
      .then((ok) => ok && list.reload());
  };

  const select = (field: string, label: string, value: string, set: (v: string) => void, codes: readonly string[], prefix: string) => (
    <div class={`govuk-form-group${form.error(field) ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label govuk-label--s" for={`obs-${field}`}>
        {label}
      </label>
      <FieldError id={`obs-${field}`} text={form.error(field)} />
      <select class="govuk-select" id={`obs-${field}`} value={value} onChange={(e) => set(e.currentTarget.value)}>
        {codes.map((c) => (
          <option key={c} value={c}>
            {st(stKey(prefix, c))}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <>
      <form noValidate onSubmit={save}>
        <h3 class="govuk-heading-m">{st("obs.title")}</h3>
        <ErrorSummary items={form.errors} />
        <Done text={form.done} />
        <DateField id="obs-recorded_on" legend={st("obs.on")} value={on} onChange={setOn} error={form.error("recorded_on")} />
        {select("in_touch", st("obs.inTouch"), inTouch, setInTouch, IN_TOUCH, "obs.inTouch")}
        {select("activity", st("obs.activity"), activity, setActivity, ACTIVITY, "obs.activity")}
        {select("accommodation", st("obs.place"), place, setPlace, PLACES, "obs.place")}
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("obs.suitable")}</legend>
            <div class="govuk-radios govuk-radios--small govuk-radios--inline">
              {(["1", "2"] as const).map((v) => (
                <div class="govuk-radios__item" key={v}>
                  <input class="govuk-radios__input" id={`obs-suitable-${v}`} type="radio" name="obs-suitable" checked={suitable === v} onChange={() => setSuitable(v)} />
                  <label class="govuk-label govuk-radios__label" for={`obs-suitable-${v}`}>
                    {st(v === "1" ? "obs.suitable.yes" : "obs.suitable.no")}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button type="submit" class="govuk-button" disabled={form.busy}>
          {st("obs.save")}
        </button>
      </form>
      <Section title={st("obs.recent")} resource={list} level={3}>
        {(items) =>
          items.length === 0 ? (
            <p class="govuk-body">{st("obs.none")}</p>
          ) : (
            <ul class="govuk-list">
              {[...items]
                .sort((a, b) => b.recorded_on.localeCompare(a.recorded_on))
                .slice(0, 5)
                .map((o) => (
                  <li key={o.id}>
                    {formatDate(o.recorded_on)}: {st(stKey("obs.inTouch", o.in_touch))}, {st(stKey("obs.activity", o.activity))},{" "}
                    {st(stKey("obs.place", o.accommodation.slice(0, 1)))} ({st(o.accommodation.endsWith("2") ? "obs.suitable.no" : "obs.suitable.yes")})
                  </li>
                ))}
            </ul>
          )
        }
      </Section>
    </>
  );
}
