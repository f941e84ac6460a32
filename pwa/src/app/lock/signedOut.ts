/** Why the app signed itself out, for the sign-in screen to say (cleared on the next sign-in). */
import { signal } from "@preact/signals";

export const signedOutBy = signal<"pin" | "forgot" | null>(null);
