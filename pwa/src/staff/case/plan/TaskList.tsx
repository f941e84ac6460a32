import { st } from "../../../i18n/staff.en";
import { type Draft, sectionIncomplete } from "./draft";

/** The ten sections as a GOV.UK task list; each link takes focus to its section below. */
export function TaskList({ draft, named }: { draft: Draft; named: ReadonlySet<string> }) {
  const jump = (code: string) => (e: MouseEvent) => {
    e.preventDefault();
    const heading = document.getElementById(`plan-sec-${code}-title`);
    heading?.scrollIntoView({ block: "start" });
    heading?.focus();
  };
  return (
    <ul class="govuk-task-list">
      {draft.sections.map((s) => {
        const incomplete = named.has(s.code) || sectionIncomplete(draft, s.code);
        const count = draft.actions.filter((a) => a.section_code === s.code).length;
        return (
          <li class="govuk-task-list__item govuk-task-list__item--with-link" key={s.code}>
            <div class="govuk-task-list__name-and-hint">
              <a class="govuk-link govuk-task-list__link" href={`#plan-sec-${s.code}`} aria-describedby={`plan-task-${s.code}-status`} onClick={jump(s.code)}>
                {s.title}
              </a>
              <div class="govuk-task-list__hint">
                {count === 0 ? st("planEdit.noActions") : count === 1 ? st("planEdit.oneAction") : st("planEdit.actionCount", { n: count })}
              </div>
            </div>
            <div class="govuk-task-list__status" id={`plan-task-${s.code}-status`}>
              {incomplete ? <strong class="govuk-tag govuk-tag--blue">{st("plan.incomplete")}</strong> : st("planEdit.completed")}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
