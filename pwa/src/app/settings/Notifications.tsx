import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { t, type MessageKey } from "../../i18n";
import { currentSubscription, pushAvailability, PushUnavailable, turnPushOff, turnPushOn, type PushProblem } from "../../offline/push";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { summaryItems } from "../../ui/problem";
import { savePreferences, type Channel, type Preferences } from "./preferences";

const LABEL: Record<Channel, MessageKey> = { push: "notify.push", sms: "notify.sms", email: "notify.email" };
const PROBLEM: Record<PushProblem, MessageKey> = {
  unsupported: "push.unsupported",
  denied: "push.denied",
  no_key: "push.noKey",
  failed: "push.failed",
};

/**
 * How they are told of news: a notification on this phone (push, which this phone subscribes
 * to or leaves), a text, an email: only the ways that can reach them are offered. Saved to the
 * account as notify_by; the notification itself only ever says "New message".
 */
export function Notifications({ prefs, onSaved }: { prefs: Preferences; onSaved: (p: Preferences) => void }) {
  const offered: Channel[] = (["push", "sms", "email"] as const).filter((c) => c === "push" || prefs.can_notify_by.includes(c));
  const [chosen, setChosen] = useState<ReadonlySet<Channel>>(new Set(prefs.notify_by.filter((c) => c !== "push")));
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const cannotPush = pushAvailability();

  // Push is this phone's: ticked when this phone has a subscription, whatever another phone did.
  useEffect(() => {
    void currentSubscription().then((s) => {
      if (s && prefs.notify_by.includes("push")) setChosen((c) => new Set([...c, "push"]));
    });
  }, [prefs.notify_by]);

  const toggle = (channel: Channel, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(channel);
    else next.delete(channel);
    setChosen(next);
    setSaved(false);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    const wanted = new Set(chosen);
    try {
      if (wanted.has("push")) {
        try {
          await turnPushOn();
        } catch (e) {
          if (!(e instanceof PushUnavailable)) throw e;
          wanted.delete("push");
          setChosen(new Set(wanted));
          setErrors([{ field: "notify-push", text: t(PROBLEM[e.reason]) }]);
        }
      } else {
        await turnPushOff();
      }
      const order = (["push", "sms", "email"] as const).filter((c) => wanted.has(c));
      onSaved(await savePreferences({ notify_by: order }));
      setSaved(true);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setErrors(summaryItems(e, "notify-"));
    } finally {
      setBusy(false);
    }
  };

  const pushError = errors.find((e) => e.field === "notify-push")?.text;
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors} />
      <div class={`govuk-form-group${errors.length > 0 ? " govuk-form-group--error" : ""}`}>
        <fieldset class="govuk-fieldset" aria-describedby={pushError ? "notify-hint notify-error" : "notify-hint"}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t("notify.legend")}</legend>
          <div id="notify-hint" class="govuk-hint">
            {t("notify.hint")}
          </div>
          {pushError && (
            <p id="notify-error" class="govuk-error-message">
              {pushError}
            </p>
          )}
          {!pushError && cannotPush && <p class="govuk-body">{t(PROBLEM[cannotPush])}</p>}
          <div class="govuk-checkboxes govuk-checkboxes--small">
            {offered.map((channel) => (
              <div key={channel} class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id={`notify-${channel}`}
                  name="notify_by"
                  type="checkbox"
                  value={channel}
                  checked={chosen.has(channel)}
                  onChange={(e) => toggle(channel, e.currentTarget.checked)}
                />
                <label class="govuk-label govuk-checkboxes__label" for={`notify-${channel}`}>
                  {t(LABEL[channel])}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <p class="govuk-body app-status" role="status">
        {saved ? t("notify.saved") : ""}
      </p>
      <button type="submit" class="govuk-button govuk-button--secondary" disabled={busy}>
        {t("settings.save")}
      </button>
    </form>
  );
}
