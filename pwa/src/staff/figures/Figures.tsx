import { useState } from "preact/hooks";
import { api, call, type ApiError, type components, type Fetched } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { Caseloads } from "./Caseloads";
import { MeasureCard } from "./MeasureCard";
import { chooseScope, RATIO_MEASURES, scopeQuery, useFigureScope, type FigureScope } from "./state";
import "../manager.scss";

type S = components["schemas"];

export interface FiguresData {
  overview: S["Overview"];
  /** Loaded on its own (twelve overviews cost more than one): missing until it comes, or if it fails. */
  trends: S["Trends"] | null;
  caseloadMax: number | null;
}

/**
 * The figures' request in flight, so the trend can wait for it: twelve month-ends cost the server
 * several overviews, and asked for at the same time they took its CPU from the figures the
 * manager is waiting for (bench/README.md, the overview at 5,000).
 */
let figuresPending: Promise<unknown> = Promise.resolve();

async function load(s: FigureScope): Promise<Fetched<FiguresData>> {
  const figures = Promise.all([
    call(api.GET("/api/v1/reports/overview", { params: { query: scopeQuery(s) } })),
    call(api.GET("/api/v1/organisation")).catch(() => null),
  ]);
  figuresPending = figures.catch(() => null);
  const [overview, organisation] = await figures;
  return {
    data: {
      overview: overview.data,
      trends: null,
      caseloadMax: organisation?.data.caseload_max ?? null,
    },
    savedAt: null,
    etag: null,
  };
}

/** The manager's figures: every measure as of a chosen date, for the council, a team or a PA. */
export function Figures() {
  const s = useFigureScope();
  const resource = useResource(`staff:figures:${s.asOf}:${s.team}:${s.adviser}`, () => load(s));
  // The twelve month-ends do not depend on the date chosen, only on the scope. Asked for once the
  // figures have come (the effect above runs first, so figuresPending is this screen's request).
  const trends = useResource(`staff:trends:${s.team}:${s.adviser}`, async () => {
    await figuresPending;
    return call(api.GET("/api/v1/reports/trends", { params: { query: { team: s.team || undefined, adviser: s.adviser || undefined } } }));
  });
  return (
    <Screen title={st("figures.title")} resource={resource} lead={<ScopeForm key={`${s.asOf}:${s.team}:${s.adviser}`} shown={s} refused={refusedDate(resource.error)} />}>
      {(data) => (
        <>
          <h2 class="govuk-heading-m" id="figures-for">
            {st("figures.for", { scope: scopeName(data.overview.scope), date: formatDate(data.overview.as_of) })}
          </h2>
          <div class="manager-cards">
            {RATIO_MEASURES.map((name) => (
              <MeasureCard key={name} name={name} data={{ ...data, trends: trends.data ?? null }} />
            ))}
          </div>
          <Caseloads rows={data.overview.measures.caseload} max={data.caseloadMax} />
        </>
      )}
    </Screen>
  );
}

/** The API's own words when it refuses the date (in the future, or before its records begin). */
function refusedDate(error: ApiError | null): string | null {
  const found = error?.kind === "invalid" ? error.fieldErrors.find((f) => f.field.endsWith("as_of")) : undefined;
  return found ? st("figures.refused", { message: found.message }) : null;
}

function scopeName(s: S["Scope"]): string {
  if (s.level === "adviser" && s.adviser) return s.adviser.name;
  if (s.level === "team" && s.team) return s.team.name;
  return st("figures.council");
}

/**
 * Date and scope; the figures reload when it is submitted (typing a date does not fire requests).
 * Drawn afresh (its key) when the address brings another scope: back, forward.
 */
function ScopeForm({ shown, refused }: { shown: FigureScope; refused: string | null }) {
  const [asOf, setAsOf] = useState(shown.asOf);
  const [choice, setChoice] = useState(shown.adviser ? `a:${shown.adviser}` : shown.team ? `t:${shown.team}` : "");
  const [typo, setTypo] = useState(false);
  const problem = typo ? st("figures.badDate") : refused;
  const options = useResource("staff:figures:scopes", async () => {
    const [teams, staff] = await Promise.all([
      call(api.GET("/api/v1/teams")).catch(() => null),
      call(api.GET("/api/v1/staff")).catch(() => null),
    ]);
    return {
      data: {
        teams: teams?.data ?? [],
        advisers: (staff?.data ?? []).filter((p) => p.role === "personal_adviser" && p.is_active),
      },
      savedAt: null,
      etag: null,
    };
  });

  const submit = (e: Event) => {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      setTypo(true);
      return;
    }
    setTypo(false);
    chooseScope({
      asOf,
      team: choice.startsWith("t:") ? choice.slice(2) : "",
      adviser: choice.startsWith("a:") ? choice.slice(2) : "",
    });
  };
  return (
    <form class="staff-filters" onSubmit={submit} aria-label={st("figures.choose")}>
      <div class={problem ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
        <label class="govuk-label" for="figures-as-of">
          {st("figures.asOf")}
        </label>
        {problem && (
          <p class="govuk-error-message" id="figures-as-of-error">
            <span class="govuk-visually-hidden">{st("error.prefix")}</span> {problem}
          </p>
        )}
        <input
          class="govuk-input govuk-input--width-10"
          id="figures-as-of"
          type="date"
          value={asOf}
          aria-describedby={problem ? "figures-as-of-error" : undefined}
          onInput={(e) => setAsOf(e.currentTarget.value)}
        />
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label" for="figures-scope">
          {st("figures.scope")}
        </label>
        <select class="govuk-select" id="figures-scope" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          <option value="">{st("figures.council")}</option>
          {(options.data?.teams ?? []).length > 0 && (
            <optgroup label={st("figures.teams")}>
              {options.data?.teams.map((t) => (
                <option key={t.id} value={`t:${t.id}`}>
                  {t.name}
                </option>
              ))}
            </optgroup>
          )}
          {(options.data?.advisers ?? []).length > 0 && (
            <optgroup label={st("figures.advisers")}>
              {options.data?.advisers.map((p) => (
                <option key={p.id} value={`a:${p.id}`}>
                  {p.display_name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <div class="govuk-form-group">
        <button type="submit" class="govuk-button govuk-!-margin-bottom-0">
          {st("figures.show")}
        </button>
      </div>
    </form>
  );
}
