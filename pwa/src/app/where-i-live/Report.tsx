import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { t } from "../../i18n";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Link } from "../../ui/Link";
import { online } from "../../ui/network";
import { summaryItems } from "../../ui/problem";
import { navigate } from "../../ui/router";
import { useResource } from "../../ui/useResource";
import { loadSummary, summaryKey } from "../summary";
import { CATEGORIES, URGENCIES, draft, firstMissing, sendReport, setDraft, stepPath, type Step } from "./report";
import { Question } from "./Question";
import { ReachNow } from "./ReachNow";

const MAX = 4000;

function Radios<V extends string>({ name, values, chosen, label, hint, error, onChoose }: {
  name: string;
  values: readonly V[];
  chosen: V | null;
  label: (v: V) => string;
  hint?: (v: V) => string | null;
  error: string | null;
  onChoose: (v: V) => void;
}) {
  return (
    <div class="govuk-radios" data-invalid={error ? "true" : undefined}>
      {values.map((v) => {
        const h = hint?.(v) ?? null;
        return (
          <div key={v} class="govuk-radios__item">
            <input
              class="govuk-radios__input"
              id={`${name}-${v}`}
              name={name}
              type="radio"
              checked={chosen === v}
              aria-describedby={h ? `${name}-${v}-hint` : undefined}
              onChange={() => onChoose(v)}
            />
            <label class="govuk-label govuk-radios__label" for={`${name}-${v}`}>
              {label(v)}
            </label>
            {h && (
              <div id={`${name}-${v}-hint`} class="govuk-hint govuk-radios__hint">
                {h}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}

function Legend({ text }: { text: string }) {
  return (
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
      <h1 class="govuk-fieldset__heading" tabIndex={-1}>
        {text}
      </h1>
    </legend>
  );
}

function FieldError({ id, text }: { id: string; text: string | null }) {
  return text ? (
    <p id={id} class="govuk-error-message">
      {text}
    </p>
  ) : null;
}

const next: Record<Step, Step> = { what: "details", details: "urgency", urgency: "name", name: "check", check: "check" };
const previous: Record<Step, string> = { what: "/where-i-live", details: stepPath("what"), urgency: stepPath("details"), name: stepPath("urgency"), check: stepPath("name") };

/** Report a problem with where I live: four questions, then check answers and send. */
export function Report({ step, fromCheck = false }: { step: Step; fromCheck?: boolean }) {
  const d = draft.value;
  const [error, setError] = useState<string | null>(null);
  const go = (to: Step) => navigate(fromCheck && to !== "check" ? stepPath("check") : stepPath(to));
  const forward = () => go(next[step]);

  // A later page opened directly (or after the app closed) starts at the first unanswered one.
  const missing = firstMissing(d);
  const order = ["what", "details", "urgency", "name", "check"];
  const tooFar = missing !== null && order.indexOf(step) > order.indexOf(missing);
  useEffect(() => {
    if (tooFar && missing) navigate(stepPath(missing), true);
  }, [tooFar, missing]);
  if (tooFar) return null;

  const back = fromCheck ? stepPath("check") : previous[step];
  if (step === "what")
    return (
      <Question back={back} error={error} errorField={`category-${CATEGORIES[0]}`} onContinue={() => (d.category ? forward() : setError(t("concern.chooseWhat")))}>
        <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
          <fieldset class="govuk-fieldset" aria-describedby={error ? "category-error" : undefined}>
            <Legend text={t("concern.whatTitle")} />
            <FieldError id="category-error" text={error} />
            <Radios name="category" values={CATEGORIES} chosen={d.category} label={(c) => t(`concern.category.${c}`)} error={error} onChoose={(category) => setDraft({ category })} />
          </fieldset>
        </div>
      </Question>
    );
  if (step === "details") {
    const left = MAX - d.text.length;
    return (
      <Question
        back={back}
        error={error}
        errorField="concern-text"
        onContinue={() => (!d.text.trim() ? setError(t("concern.detailsMissing")) : left < 0 ? setError(t("messages.charsOver", { count: -left })) : forward())}
      >
        <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
          <h1 class="govuk-label-wrapper" tabIndex={-1}>
            <label class="govuk-label govuk-label--l" for="concern-text">
              {t("concern.detailsTitle")}
            </label>
          </h1>
          <div id="concern-text-hint" class="govuk-hint">
            {t("concern.detailsHint")}
          </div>
          <FieldError id="concern-text-error" text={error} />
          <textarea
            class={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
            id="concern-text"
            rows={6}
            dir="auto"
            aria-describedby={`concern-text-hint concern-text-count${error ? " concern-text-error" : ""}`}
            value={d.text}
            onInput={(e) => setDraft({ text: e.currentTarget.value })}
          />
          <div id="concern-text-count" class={`govuk-hint govuk-character-count__message${left < 0 ? " govuk-error-message" : ""}`} aria-live="polite">
            {left >= 0 ? t("messages.charsLeft", { count: left }) : t("messages.charsOver", { count: -left })}
          </div>
        </div>
      </Question>
    );
  }
  if (step === "urgency")
    return (
      <Question back={back} error={error} errorField={`urgency-${URGENCIES[0]}`} onContinue={() => (d.urgency ? forward() : setError(t("concern.chooseUrgency")))}>
        <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
          <fieldset class="govuk-fieldset" aria-describedby={error ? "urgency-error" : undefined}>
            <Legend text={t("concern.urgencyTitle")} />
            <FieldError id="urgency-error" text={error} />
            <Radios
              name="urgency"
              values={URGENCIES}
              chosen={d.urgency}
              label={(u) => t(`concern.urgency.${u}`)}
              hint={(u) => t(`concern.urgencyHint.${u}`)}
              error={error}
              onChoose={(urgency) => setDraft({ urgency })}
            />
          </fieldset>
        </div>
        {/* Not safe now: the numbers show at once, before anything is sent, even offline. */}
        {d.urgency === "urgent" && <ReachNowFromSummary />}
      </Question>
    );
  if (step === "name")
    return (
      <Question back={back} error={null} errorField="anonymous-yes" onContinue={forward}>
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset" aria-describedby="anonymous-hint">
            <Legend text={t("concern.nameTitle")} />
            <div id="anonymous-hint" class="govuk-hint">
              {t("concern.nameHint")}
            </div>
            <Radios
              name="anonymous"
              values={["yes", "no"] as const}
              chosen={d.anonymous ? "yes" : "no"}
              label={(v) => (v === "yes" ? t("concern.anonymous") : t("concern.named"))}
              error={null}
              onChoose={(v) => setDraft({ anonymous: v === "yes" })}
            />
          </fieldset>
        </div>
      </Question>
    );
  return <CheckAnswers />;
}

function ReachNowFromSummary() {
  const summary = useResource(summaryKey, loadSummary).data;
  return <ReachNow reach={summary?.reach_now ?? null} emergency={summary?.reach_now.emergency_phone ?? summary?.organisation.out_of_hours_phone ?? null} />;
}

function CheckAnswers() {
  const d = draft.value;
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const rows: Array<[string, string, Step]> = [
    [t("concern.checkWhat"), d.category ? t(`concern.category.${d.category}`) : "", "what"],
    [t("concern.checkDetails"), d.text, "details"],
    [t("concern.checkUrgency"), d.urgency ? t(`concern.urgency.${d.urgency}`) : "", "urgency"],
    [t("concern.checkName"), d.anonymous ? t("concern.anonymous") : t("concern.named"), "name"],
  ];
  const send = async () => {
    setBusy(true);
    setErrors([]);
    try {
      await sendReport();
      navigate("/where-i-live/report/sent", true);
    } catch (e) {
      setErrors(e instanceof ApiError ? summaryItems(e) : [{ text: t("error.server") }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <Link href={stepPath("name")} class="govuk-back-link">
          {t("app.back")}
        </Link>
        <ErrorSummary items={errors} />
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {t("concern.checkTitle")}
        </h1>
        <dl class="govuk-summary-list">
          {rows.map(([key, value, step]) => (
            <div key={step} class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{key}</dt>
              <dd class="govuk-summary-list__value app-prewrap" dir="auto">
                {value}
              </dd>
              <dd class="govuk-summary-list__actions">
                <Link href={`${stepPath(step)}/change`} class="govuk-link">
                  {t("concern.change")}
                  <span class="govuk-visually-hidden"> {key}</span>
                </Link>
              </dd>
            </div>
          ))}
        </dl>
        <p class="govuk-body">{t("concern.checkLead")}</p>
        {!online.value && <p class="govuk-inset-text">{t("concern.offline")}</p>}
        <button type="button" class="govuk-button" disabled={busy || !online.value} onClick={() => void send()}>
          {t("concern.send")}
        </button>
      </div>
    </div>
  );
}
