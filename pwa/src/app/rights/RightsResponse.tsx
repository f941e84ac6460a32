import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError } from "../../api/errors";
import { lang, t } from "../../i18n";
import { online } from "../../ui/network";
import { problemText } from "../../ui/problem";

type Answer = components["schemas"]["PageResponse"];
const ANSWERS: readonly Answer[] = ["understood", "want_to_talk", "not_for_me"];

/** "What do you think?" under a rights page. Not queued: disabled offline, saying why. */
export function RightsResponse({ slug, answered }: { slug: string; answered: boolean }) {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [done, setDone] = useState(answered);
  const [error, setError] = useState<string | null>(null);
  if (done) return <p class="govuk-inset-text" lang={lang.value}>{t("rights.responded")}</p>;
  const offline = !online.value;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!answer) return;
    try {
      await call(api.POST("/api/v1/local-offer/{slug}/responses", { params: { path: { slug } }, body: { response: answer } }));
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError) setError(problemText(e));
      else throw e;
    }
  };
  return (
    <form onSubmit={submit} lang={lang.value} noValidate>
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{t("rights.respond")}</legend>
          {offline && <p class="govuk-hint">{t("app.offlineFormDisabled")}</p>}
          {error && <p class="govuk-error-message">{error}</p>}
          <div class="govuk-radios">
            {ANSWERS.map((a) => (
              <div key={a} class="govuk-radios__item">
                <input class="govuk-radios__input" id={`answer-${a}`} name="answer" type="radio" disabled={offline} checked={answer === a} onChange={() => setAnswer(a)} />
                <label class="govuk-label govuk-radios__label" for={`answer-${a}`}>
                  {t(`rights.response.${a}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <button type="submit" class="govuk-button govuk-button--secondary" disabled={offline || !answer}>
        {t("rights.respondSend")}
      </button>
    </form>
  );
}
