import type { ComponentChildren } from "preact";

type Colour = "grey" | "green" | "turquoise" | "blue" | "light-blue" | "purple" | "pink" | "red" | "orange" | "yellow";

export function Tag({ colour, children }: { colour?: Colour; children: ComponentChildren }) {
  return <strong class={colour ? `govuk-tag govuk-tag--${colour}` : "govuk-tag"}>{children}</strong>;
}
