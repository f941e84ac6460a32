import { useState } from "preact/hooks";
import { st } from "../../i18n/staff.en";

/** The collection year that ended most recently (1 April – 31 March), named by its March. */
function latestEndedYear(now: Date = new Date()): number {
  return now.getMonth() >= 3 ? now.getFullYear() : now.getFullYear() - 1;
}

/**
 * The statutory returns as plain links: the browser sends the session cookie on a GET, which the
 * CSRF rule allows (only requests that change something need the header), and saves the file.
 */
export function Downloads() {
  const latest = latestEndedYear();
  const [year, setYear] = useState(latest);
  const years = Array.from({ length: 5 }, (_, i) => latest - i);
  return (
    <section aria-labelledby="queue-downloads" class="staff-group">
      <h2 class="govuk-heading-m" id="queue-downloads">
        {st("queues.downloads")}
      </h2>
      <p class="govuk-body">
        <a class="govuk-link" href="/api/v1/reports/exports/annex-a-list-9.csv" download>
          {st("downloads.annexA")}
        </a>
      </p>
      <div class="staff-filters">
        <div class="govuk-form-group">
          <label class="govuk-label" for="oc3-year">
            {st("downloads.year")}
          </label>
          <select class="govuk-select" id="oc3-year" value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {st("downloads.yearName", { from: y - 1, to: y })}
              </option>
            ))}
          </select>
        </div>
        <p class="govuk-body">
          <a class="govuk-link" href={`/api/v1/reports/exports/ssda903-oc3.csv?year=${year}`} download>
            {st("downloads.oc3", { from: year - 1, to: year })}
          </a>
        </p>
      </div>
      <p class="govuk-body-s">{st("downloads.figures")}</p>
    </section>
  );
}
