import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError } from "../../api/errors";
import { t } from "../../i18n";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { online } from "../../ui/network";
import { summaryItems } from "../../ui/problem";

type Kind = components["schemas"]["PlanResponseKind"];
type SectionCode = NonNullable<components["schemas"]["ResponseIn"]["section_code"]>;
// Agreeing is to the whole version (ResponseIn refuses it on a section); a section takes the others.
const WHOLE: readonly Kind[] = ["agree", "disagree", "comment"];
const ON_SECTION: readonly Kind[] = ["disagree", "comment"];
const LABEL = { agree: "plan.agree", disagree: "plan.disagree", comment: "plan.comment" } as const;

interface Props {
  version: number;
  /** null: the answer is to the whole version. */
  section: SectionCode | null;
  legend?: string;
  onAnswered: () => void;
}

/** Agree to the whole version, or disagree or comment on it or one section. Not queued: disabled offline, saying why. */
export function SectionAnswer({ version, section, legend, onAnswered }: Props) {
  const [kind, setKind] = useState<Kind | null>(null);
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const prefix = section ?? "plan";
  const id = (name: string) => `${prefix}-${name}`;
  const kinds = section === null ? WHOLE : ON_SECTION;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!kind) {
      setErrors([{ field: id(`kind-${kinds[0] ?? "comment"}`), text: t("plan.chooseAnswer") }]);
      return;
    }
    if (kind !== "agree" && !comment.trim()) {
      setErrors([{ field: id("comment"), text: t("messages.empty.body") }]);
      return;
    }
    setBusy(true);
    try {
      await call(
        api.POST("/api/v1/young-people/{yp}/plan/versions/{n}/response", {
          params: { path: { yp: "me", n: version } },
          body: { kind, section_code: section, comment: comment.trim() || null },
        }),
      );
      setDone(true);
      setErrors([]);
      onAnswered();
    } catch (e) {
      if (e instanceof ApiError) setErrors(summaryItems(e, `${prefix}-`));
      else throw e;
    } finally {
      setBusy(false);
    }
  };

  if (done) return <p class="govuk-inset-text">{t("plan.answered")}</p>;
  const offline = !online.value;
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors} />
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend ?? t("plan.answer")}</legend>
          {offline && <p class="govuk-hint">{t("app.offlineFormDisabled")}</p>}
          <div class="govuk-radios govuk-radios--small">
            {kinds.map((k) => (
              <div key={k} class="govuk-radios__item">
                <input class="govuk-radios__input" id={id(`kind-${k}`)} name={id("kind")} type="radio" checked={kind === k} disabled={offline} onChange={() => setKind(k)} />
                <label class="govuk-label govuk-radios__label" for={id(`kind-${k}`)}>
                  {t(LABEL[k])}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label" for={id("comment")}>
          {t("plan.commentLabel")}
        </label>
        <textarea class="govuk-textarea" id={id("comment")} rows={2} maxLength={4000} disabled={offline} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      <button type="submit" class="govuk-button govuk-button--secondary" disabled={offline || busy}>
        {t("plan.send")}
      </button>
    </form>
  );
}
