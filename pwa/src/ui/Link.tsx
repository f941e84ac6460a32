import type { ComponentChildren } from "preact";
import { navigate } from "./router";

interface Props {
  href: string;
  class?: string;
  children: ComponentChildren;
}

/** An ordinary link the router handles in the page; modified clicks open as usual. */
export function Link({ href, class: className = "govuk-link", children }: Props) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} class={className} onClick={onClick}>
      {children}
    </a>
  );
}
