import { useState } from "preact/hooks";
import type { components } from "../../api/client";
import { t } from "../../i18n";
import { queueCheckIn } from "../../offline/outbox";
import { ErrorSummary } from "../../ui/ErrorSummary";
import { online } from "../../ui/network";
import { PhoneSentence } from "../../ui/PhoneSentence";
import { useOneAtATime } from "../../ui/useOneAtATime";
import { useResource } from "../../ui/useResource";
import { branding } from "../branding";
import { loadSummary, summaryKey } from "../summary";

type Mood = components["schemas"]["Mood"];
const MOODS: readonly Mood[] = ["good", "some_help", "need_help_now"];

/** Check in: three moods and a note; it queues like a message, so it works with no signal. */
export function CheckIn() {
  const summary = useResource(summaryKey, loadSummary);
  const [mood, setMood] = useState<Mood | null>(null);
  const [note, setNote] = useState("");
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<Mood | null>(null);
  const s = summary.data;
  // "Need help now" shows the number at once, from what is saved, even offline.
  const phone = s?.reach_now.phone ?? s?.organisation.out_of_hours_phone ?? branding.value?.out_of_hours_phone ?? null;

  const oneAtATime = useOneAtATime();

  const submit = (event: Event) => {
    event.preventDefault();
    return oneAtATime(async () => {
      if (!mood) {
        setMissing(true);
        return;
      }
      await queueCheckIn(mood, note.trim() || null);
      setDone(mood);
    });
  };

  const helpNow = (mood ?? done) === "need_help_now" && (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        {phone ? <PhoneSentence text="checkIn.helpNow" phone={phone} /> : null} {t("help.emergency")}
      </strong>
    </div>
  );

  if (done) {
    return (
      <>
        <div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title" tabIndex={-1}>
            {t("checkIn.thanks")}
          </h1>
          <div class="govuk-panel__body">{online.value ? t("checkIn.sent") : t("checkIn.queued")}</div>
        </div>
        {helpNow}
      </>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={missing ? [{ field: "mood-good", text: t("checkIn.choose") }] : []} />
      <div class={`govuk-form-group${missing ? " govuk-form-group--error" : ""}`}>
        <fieldset class="govuk-fieldset" aria-describedby="mood-hint">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
            <h1 class="govuk-fieldset__heading" tabIndex={-1}>
              {t("checkIn.title")}
            </h1>
          </legend>
          <div id="mood-hint" class="govuk-hint">
            {t("checkIn.hint")}
          </div>
          {missing && <p class="govuk-error-message">{t("checkIn.choose")}</p>}
          <div class="govuk-radios">
            {MOODS.map((m) => (
              <div key={m} class="govuk-radios__item">
                <input
                  class="govuk-radios__input"
                  id={`mood-${m}`}
                  name="mood"
                  type="radio"
                  value={m}
                  checked={mood === m}
                  onChange={() => {
                    setMood(m);
                    setMissing(false);
                  }}
                />
                <label class="govuk-label govuk-radios__label" for={`mood-${m}`}>
                  {t(`checkIn.mood.${m}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      {helpNow}
      <div class="govuk-form-group">
        <label class="govuk-label" for="note">
          {t("checkIn.note")}
        </label>
        <textarea class="govuk-textarea" id="note" name="note" rows={3} maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <button type="submit" class="govuk-button app-button--large">
        {t("checkIn.submit")}
      </button>
    </form>
  );
}
