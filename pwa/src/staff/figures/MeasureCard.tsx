import type { components } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { formatDate } from "../format";
import { Chart, ChartTable, type Point } from "./Chart";
import type { FiguresData } from "./Figures";
import { figuresHref, PORTAL_ONLY, PROBLEMS, percent, type RatioMeasure } from "./state";

type S = components["schemas"];
type Ratio = S["Ratio"];
type Part = S["PartRatio"];

/** What a measure counts: most count young people; two count messages or concerns. */
const unit = (name: RatioMeasure): string =>
  name === "messages_unanswered" ? st("figure.messages") : name === "accommodation_concerns" ? st("figure.concerns") : st("figure.people");

/**
 * A measure only the portal records is null for a date before the council started using it; the
 * overview names the date its data starts (`not_recorded`). Read loosely, so the screen says the
 * right thing whether or not this API already sends them.
 */
type Loose = { [K in RatioMeasure]?: Ratio | null } & { not_recorded?: { measure: string; available_from: string }[] };

export function ratioOf(measures: S["Measures"], name: RatioMeasure): Ratio | null {
  return (measures as unknown as Loose)[name] ?? null;
}

/** The sentence shown instead of a percentage when there is none: never "0 %". */
export function noFigure(name: string, measures?: S["Measures"]): string {
  const from = (measures as unknown as Loose | undefined)?.not_recorded?.find((n) => n.measure === name)?.available_from;
  if (from) return st("figure.notRecordedBefore", { date: formatDate(from) });
  return PORTAL_ONLY.has(name) ? st("figure.notRecorded") : st("figure.nobody");
}

/** One measure as a GOV.UK summary card: the figure, what it is out of, its year, its names. */
export function MeasureCard({ name, data }: { name: RatioMeasure; data: FiguresData }) {
  const ratio = ratioOf(data.overview.measures, name);
  const title = st(stKey("measure", name));
  const figure = percent(ratio?.percentage);
  const points: Point[] = (data.trends?.points ?? []).map((p) => ({ asOf: p.as_of, value: ratioOf(p.measures, name)?.percentage ?? null }));
  const parts = partsOf(name, data.overview.measures);
  const id = `measure-${name}`;
  return (
    <section class="govuk-summary-card manager-card" aria-labelledby={`${id}-heading`}>
      <div class="govuk-summary-card__title-wrapper">
        <h3 class="govuk-summary-card__title" id={`${id}-heading`}>
          {title}
        </h3>
        <ul class="govuk-summary-card__actions">
          <li class="govuk-summary-card__action">
            <Link href={figuresHref(`/staff/figures/${name}`)}>
              {st("figure.names")}
              <span class="govuk-visually-hidden"> {st("figure.namesFor", { title })}</span>
            </Link>
          </li>
        </ul>
      </div>
      <div class="govuk-summary-card__content">
        <p class="govuk-body-s manager-card__what">{st(stKey("measure.what", name))}</p>
        {figure === null || ratio === null ? (
          <p class="govuk-body govuk-!-font-weight-bold" data-figure={name}>
            {noFigure(name, data.overview.measures)}
          </p>
        ) : (
          <p class="govuk-body" data-figure={name}>
            <Link href={figuresHref(`/staff/figures/${name}`)} class="govuk-link manager-card__figure">
              {figure}
            </Link>{" "}
            <span class="manager-card__count">
              {st("figure.outOf", { numerator: ratio.numerator, denominator: ratio.denominator, unit: unit(name) })}
            </span>
          </p>
        )}
        {PROBLEMS.has(name) && <p class="govuk-body-s">{st("figure.lowerBetter")}</p>}
        <Extra name={name} data={data} />
        {parts.length > 0 && <Parts name={name} title={title} parts={parts} />}
        {points.length > 0 ? (
          <>
            <Chart id={id} title={title} points={points} />
            <ChartTable caption={st("chart.caption", { title })} points={points} />
          </>
        ) : (
          data.trends !== null && <p class="govuk-body-s">{st("chart.noMonths")}</p>
        )}
      </div>
    </section>
  );
}

function partsOf(name: RatioMeasure, m: S["Measures"]): [string, Part][] {
  const ratio = ratioOf(m, name) as (Ratio & { by_type?: Record<string, Part>; by_entitlement?: Record<string, Part> }) | null;
  return Object.entries(ratio?.by_type ?? ratio?.by_entitlement ?? {});
}

/** The median reply time and the oldest open concern: what a manager asks next. */
function Extra({ name, data }: { name: RatioMeasure; data: FiguresData }) {
  const m = data.overview.measures;
  const messages = ratioOf(m, "messages_unanswered") as S["MessagesRatio"] | null;
  const concerns = ratioOf(m, "accommodation_concerns") as S["ConcernsRatio"] | null;
  if (name === "messages_unanswered" && messages) {
    const hours = messages.median_first_reply_hours;
    return (
      <p class="govuk-body-s">
        {hours === null || hours === undefined ? st("figure.noReplies") : st("figure.medianReply", { hours: hours.toFixed(1) })}
      </p>
    );
  }
  if (name === "accommodation_concerns" && concerns?.oldest_open_days != null) {
    return <p class="govuk-body-s">{st("figure.oldestConcern", { days: concerns.oldest_open_days })}</p>;
  }
  return null;
}

/** Per document type or per entitlement: each its own figure, each opening its own names. */
function Parts({ name, title, parts }: { name: RatioMeasure; title: string; parts: [string, Part][] }) {
  return (
    <table class="govuk-table govuk-!-font-size-16">
      <caption class="govuk-table__caption govuk-table__caption--s">{st(name === "documents_by_18" ? "figure.byType" : "figure.byEntitlement")}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">
            {st("figure.part")}
          </th>
          <th scope="col" class="govuk-table__header govuk-table__header--numeric">
            {st("figure.share")}
          </th>
          <th scope="col" class="govuk-table__header govuk-table__header--numeric">
            {st("figure.count")}
          </th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {parts.map(([key, part]) => (
          <tr key={key} class="govuk-table__row">
            <th scope="row" class="govuk-table__header">
              <Link href={figuresHref(`/staff/figures/${name}/${encodeURIComponent(key)}`)}>
                {part.name}
                <span class="govuk-visually-hidden"> ({title})</span>
              </Link>
            </th>
            <td class="govuk-table__cell govuk-table__cell--numeric">{percent(part.percentage) ?? st("figure.none")}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">
              {st("figure.ofShort", { numerator: part.numerator, denominator: part.denominator })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
