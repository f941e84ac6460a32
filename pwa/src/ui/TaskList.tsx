import type { ComponentChildren } from "preact";
import { Link } from "./Link";

export interface Task {
  id: string;
  href: string;
  name: string;
  hint?: string | undefined;
  /** The name is words a person typed (a plan action): shown as written, in its own direction. */
  typed?: boolean;
  status: ComponentChildren;
}

/** govuk-frontend's task list: what needs the young person, each with its status. */
export function TaskList({ tasks }: { tasks: readonly Task[] }) {
  return (
    <ul class="govuk-task-list">
      {tasks.map((task) => (
        <li key={task.id} class="govuk-task-list__item govuk-task-list__item--with-link">
          <div class="govuk-task-list__name-and-hint">
            <Link href={task.href} class="govuk-link govuk-task-list__link">
              <span aria-describedby={`${task.id}-status`} dir={task.typed ? "auto" : undefined}>
                {task.name}
              </span>
            </Link>
            {task.hint && <div class="govuk-task-list__hint">{task.hint}</div>}
          </div>
          <div class="govuk-task-list__status" id={`${task.id}-status`}>
            {task.status}
          </div>
        </li>
      ))}
    </ul>
  );
}
