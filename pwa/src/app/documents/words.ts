/**
 * A document type's name, why and how in the young person's language while the council keeps
 * the default type's words (the API's `wording_code`); a type the council wrote or reworded
 * itself is shown in its English, marked as English.
 */
import type { components } from "../../api/client";
import { worded, type Lang } from "../../i18n";

type Item = components["schemas"]["ChecklistItem"];
type Part = "name" | "why" | "how";
export interface Words {
  text: string;
  lang: Lang;
}

export function documentWords(code: string | null, part: Part, english: string): Words {
  return code === null ? { text: english, lang: "en" } : worded(`documents.type.${code}.${part}`, english);
}

/** The next step: a code worded here; "how_to_get_it" is the type's own how. */
export function nextStep(item: Item, date: (iso: string) => string): Words {
  const code = item.next_step_code;
  if (code === "how_to_get_it") return documentWords(item.wording_code, "how", item.how_to_get_it);
  if (code === "starts_on" && item.start_on) return worded("documents.nextStep.starts_on", item.next_step, { date: date(item.start_on) });
  return worded(`documents.nextStep.${code}`, item.next_step);
}
