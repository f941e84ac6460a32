import { st } from "../../i18n/staff.en";
import { formatMonth } from "./months";

export interface Point {
  asOf: string;
  /** null: nobody counted, or not recorded yet on that date. */
  value: number | null;
}

const W = 320;
const H = 120;
const PAD = { left: 30, right: 8, top: 8, bottom: 22 };

/**
 * Twelve month-ends as a small line with a marker on each month (shape, not colour, carries the
 * data), 0–100 % on the axis. Screen readers get a one-sentence summary; the numbers are in the
 * table the caller shows beside it.
 */
export function Chart({ id, title, points }: { id: string; title: string; points: Point[] }) {
  const known = points.filter((p) => p.value !== null);
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const y = (v: number) => PAD.top + (1 - v / 100) * (H - PAD.top - PAD.bottom);
  // A gap where a month has no figure: a line through it would invent one.
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(i).toFixed(1)} ${y(p.value).toFixed(1)} `;
  });
  if (current) segments.push(current);

  const first = known[0];
  const last = known[known.length - 1];
  const summary =
    first && last
      ? st("chart.summary", {
          title,
          from: `${first.value?.toFixed(1)} %`,
          fromMonth: formatMonth(first.asOf),
          to: `${last.value?.toFixed(1)} %`,
          toMonth: formatMonth(last.asOf),
        })
      : st("chart.empty", { title });
  return (
    <svg
      class="manager-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-title`}
      focusable="false"
    >
      <title id={`${id}-title`}>{summary}</title>
      {[0, 50, 100].map((v) => (
        <g key={v} aria-hidden="true">
          <line class="manager-chart__grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
          <text class="manager-chart__label" x={PAD.left - 4} y={y(v) + 4} text-anchor="end">
            {v}
          </text>
        </g>
      ))}
      {segments.map((d) => (
        <path key={d} class="manager-chart__line" d={d} />
      ))}
      {points.map((p, i) =>
        p.value === null ? null : <circle key={p.asOf} class="manager-chart__point" cx={x(i)} cy={y(p.value)} r={3} />,
      )}
      {points.map((p, i) =>
        i === 0 || i === points.length - 1 ? (
          <text key={`l${p.asOf}`} class="manager-chart__label" x={x(i)} y={H - 6} text-anchor={i === 0 ? "start" : "end"}>
            {formatMonth(p.asOf)}
          </text>
        ) : null,
      )}
    </svg>
  );
}

/** The same points as a table: the figures themselves, for everyone. */
export function ChartTable({ caption, points }: { caption: string; points: Point[] }) {
  return (
    <details class="govuk-details govuk-!-margin-bottom-0">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{st("chart.table")}</span>
      </summary>
      <div class="govuk-details__text">
        <table class="govuk-table govuk-!-font-size-16 govuk-!-margin-bottom-0">
          <caption class="govuk-table__caption govuk-visually-hidden">{caption}</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {st("chart.month")}
              </th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                {st("chart.value")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {points.map((p) => (
              <tr key={p.asOf} class="govuk-table__row">
                <td class="govuk-table__cell">{formatMonth(p.asOf)}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">
                  {p.value === null ? st("figure.none") : `${p.value.toFixed(1)} %`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
