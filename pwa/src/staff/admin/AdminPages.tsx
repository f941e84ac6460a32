/** The admin screens' routes under /staff/admin, each inside the admin side navigation. */
import type { VNode } from "preact";
import { match } from "../../ui/router";
import { AddStaff } from "./AddStaff";
import { AdminLayout } from "./AdminNav";
import { DocumentTypeEditor, DocumentTypes } from "./DocumentTypes";
import { EditStaff } from "./EditStaff";
import { Organisation } from "./Organisation";
import { Preview } from "./Preview";
import { StaffList } from "./StaffList";
import { Teams } from "./Teams";

/** The admin screen for this path, or null when the path is not an admin one. */
export function adminPage(pathname: string): VNode | null {
  const at = pathname.replace(/\/+$/, "");
  if (!at.startsWith("/staff/admin")) return null;
  const page = (section: string, screen: VNode) => <AdminLayout current={section}>{screen}</AdminLayout>;
  if (at === "/staff/admin") return page(at, <Organisation />);
  if (at === "/staff/admin/staff") return page(at, <StaffList />);
  if (at === "/staff/admin/staff/new") return page("/staff/admin/staff", <AddStaff />);
  const person = match("/staff/admin/staff/:id", at);
  if (person?.id) return page("/staff/admin/staff", <EditStaff key={person.id} id={person.id} />);
  if (at === "/staff/admin/teams") return page(at, <Teams />);
  if (at === "/staff/admin/documents") return page(at, <DocumentTypes />);
  if (at === "/staff/admin/documents/new") return page("/staff/admin/documents", <DocumentTypeEditor typeKey={null} />);
  const type = match("/staff/admin/documents/:key", at);
  if (type?.key) return page("/staff/admin/documents", <DocumentTypeEditor key={type.key} typeKey={type.key} />);
  if (at === "/staff/admin/preview") return page(at, <Preview />);
  return null;
}
