import type { ComponentChildren } from "preact";
import { st, type StaffKey } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";

/** The admin screens, in the order an administrator sets a council up. */
export const ADMIN_SCREENS: readonly { href: string; label: StaffKey }[] = [
  { href: "/staff/admin", label: "admin.organisation.title" },
  { href: "/staff/admin/staff", label: "admin.staff.title" },
  { href: "/staff/admin/teams", label: "admin.teams.title" },
  { href: "/staff/admin/documents", label: "admin.documents.title" },
  { href: "/staff/admin/preview", label: "admin.preview.title" },
];

/** A side list of the admin screens beside the one open (two-thirds wide on a laptop). */
export function AdminLayout({ current, children }: { current: string; children: ComponentChildren }) {
  return (
    <div class="govuk-grid-row">
      <nav class="govuk-grid-column-one-quarter staff-admin-nav" aria-label={st("admin.nav")}>
        <ul class="govuk-list">
          {ADMIN_SCREENS.map((screen) => (
            <li key={screen.href}>
              {screen.href === current ? (
                <strong aria-current="page">{st(screen.label)}</strong>
              ) : (
                <Link href={screen.href}>{st(screen.label)}</Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <div class="govuk-grid-column-three-quarters">{children}</div>
    </div>
  );
}
