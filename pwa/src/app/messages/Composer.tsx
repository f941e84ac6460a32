import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { queueMessage } from "../../offline/outbox";
import { useOneAtATime } from "../../ui/useOneAtATime";

const MAX = 4000; // MessageCreate.body maxLength

/** Write a message: it goes to the outbox first, so nothing written is lost without signal. */
export function Composer() {
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const left = MAX - body.length;

  const oneAtATime = useOneAtATime();

  const submit = (event: Event) => {
    event.preventDefault();
    return oneAtATime(async () => {
      const text = body.trim();
      if (!text) {
        setError(t("messages.empty.body"));
        return;
      }
      if (left < 0) return;
      setError(null);
      // Emptied now, not once it is saved: what she starts typing meanwhile is hers to keep.
      setBody("");
      try {
        await queueMessage(text);
      } catch (error) {
        setBody((typed) => typed || text); // not saved: put it back, unless she has started another
        throw error;
      }
    });
  };

  return (
    <form class="app-composer" onSubmit={submit} noValidate>
      <div class={`govuk-form-group govuk-character-count${error ? " govuk-form-group--error" : ""}`}>
        <label class="govuk-label" for="body">
          {t("messages.label")}
        </label>
        {error && (
          <p id="body-error" class="govuk-error-message">
            {error}
          </p>
        )}
        <textarea
          class={`govuk-textarea govuk-js-character-count${left < 0 || error ? " govuk-textarea--error" : ""}`}
          id="body"
          name="body"
          rows={2}
          aria-describedby={`body-info${error ? " body-error" : ""}`}
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
        <div id="body-info" class={`govuk-hint govuk-character-count__message${left < 0 ? " govuk-error-message" : ""}`} aria-live="polite">
          {left >= 0 ? t("messages.charsLeft", { count: left }) : t("messages.charsOver", { count: -left })}
        </div>
      </div>
      <button type="submit" class="govuk-button app-button--large">
        {t("messages.send")}
      </button>
    </form>
  );
}
