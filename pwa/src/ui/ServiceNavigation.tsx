import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { t } from "../i18n";
import { Link } from "./Link";

export interface NavItem {
  href: string;
  label: string;
  /** Active only on this very path, not on the paths under it (the staff console's "/staff/"). */
  exact?: boolean;
}

interface Props {
  items: readonly NavItem[];
  current: string;
  /** The end slot: the language links (UX.md §1 Look). */
  end?: ComponentChildren;
}

/**
 * govuk-frontend's Service navigation. Its own script collapses the list behind "Menu" on small
 * screens; here the same markup and classes are driven by state instead.
 */
export function ServiceNavigation({ items, current, end }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <section aria-label={t("app.nav")} class="govuk-service-navigation">
      <div class="govuk-width-container">
        <div class="govuk-service-navigation__container">
          {items.length > 0 && (
            <nav aria-label={t("app.menu")} class="govuk-service-navigation__wrapper">
              <button
                type="button"
                class="govuk-service-navigation__toggle app-nav-toggle"
                aria-controls="navigation"
                aria-expanded={open}
                onClick={() => setOpen(!open)}
              >
                {t("app.menu")}
              </button>
              <ul class={`govuk-service-navigation__list${open ? " app-nav--open" : ""}`} id="navigation">
                {items.map((item) => {
                  const active = item.href === "/" || item.exact ? current === item.href : current.startsWith(item.href);
                  return (
                    <li
                      key={item.href}
                      class={`govuk-service-navigation__item${active ? " govuk-service-navigation__item--active" : ""}`}
                    >
                      <span onClick={() => setOpen(false)}>
                        <Link href={item.href} class="govuk-service-navigation__link">
                          {active ? <strong class="govuk-service-navigation__active-fallback">{item.label}</strong> : item.label}
                        </Link>
                      </span>
                    </li>
                  );
                })}
              </ul>
            </nav>
          )}
        </div>
        {end}
      </div>
    </section>
  );
}
