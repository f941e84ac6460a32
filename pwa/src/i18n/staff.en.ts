/**
 * The staff console's own words (English only for now: staff work in English). Kept out of the
 * young person's catalogue so their bundle never carries them; shared words come from en.ts.
 */
export const staffText = {
  "staff.name": "Staff console",
  "staff.otp": "Code from your authenticator app",
  "staff.myDay": "My day",
  "staff.myDayComing":
    "This is where your day will start: messages waiting for you, young people who need help now, follow-ups, reviews asked for, plans due, documents missing, concerns about where people live, and notices that did not reach someone.",
  "staff.notStaff": "This console is for staff. Young people use the app at the address their PA gave them.",
  "staff.signOut": "Sign out",
  "staff.signedInAs": "Signed in as {name}",
} as const satisfies Record<string, string>;

export type StaffKey = keyof typeof staffText;

export function st(key: StaffKey, params?: Readonly<Record<string, string>>): string {
  return staffText[key].replace(/\{(\w+)\}/g, (whole, name: string) => params?.[name] ?? whole);
}
