/**
 * English strings for the phone's own settings: the name and language on the account,
 * notifications and setting the app PIN. Spread into en.later.ts (its translations into ar.ts and
 * ps.ts), kept apart so the screens' main catalogue stays short. The PIN screen's own strings and
 * "This is a shared phone" at sign-in are in en.ts, which the first load carries.
 */
export const deviceEn = {
  "prefs.aboutYou": "About you",
  "prefs.name": "The name you go by",
  "prefs.nameHint": "The app and your PA use this name. Leave it empty to use {given}.",
  "prefs.nameSaved": "Saved. We will call you {name}.",
  "prefs.languageSaved": "Saved. The app now uses this language.",
  "prefs.languageOffline": "The app uses this language on this phone. Your notifications will change when you are back online.",
  "prefs.loading": "Loading your choices…",

  "notify.title": "Notifications",
  "notify.legend": "How should we tell you about news from your PA?",
  "notify.hint": "A notification only says “New message”. It never shows what the message says. Tick none if you do not want to be told.",
  "notify.push": "A notification on this phone",
  "notify.sms": "A text message",
  "notify.email": "An email",
  "notify.saved": "Saved.",
  "push.unsupported": "This phone or browser cannot show notifications from the app. You can choose a text or an email instead.",
  "push.denied": "Notifications are blocked for this app. Allow notifications for this site in your browser settings, then try again.",
  "push.noKey": "Notifications on phones are not set up yet. You can choose a text or an email instead.",
  "push.failed": "We could not turn on notifications on this phone. Try again later.",

  "discreet.names": "If you choose Yes, the app is called “{discreet}”. If you choose No, it is called “{name}”.",
  "discreet.icon": "The icon on your home screen only changes if you remove the app and add it again.",

  "lock.settingsTitle": "Lock the app with a PIN",
  "lock.settingsHint": "A PIN is 4 to 6 numbers. The app asks for it when you open it, and when you come back after 5 minutes away. Your PIN stays on this phone.",
  "lock.isOn": "The PIN lock is on.",
  "lock.isOff": "The PIN lock is off.",
  "lock.setButton": "Set a PIN",
  "lock.changeButton": "Change the PIN",
  "lock.offButton": "Turn off the PIN",
  "lock.setTitle": "Choose a PIN",
  "lock.newPin": "New PIN",
  "lock.newPinHint": "4 to 6 numbers. Do not use your birthday or 1234.",
  "lock.confirmPin": "Type the PIN again",
  "lock.save": "Save PIN",
  "lock.badPin": "Enter 4 to 6 numbers",
  "lock.mismatch": "The two PINs are not the same",
  "lock.setDone": "Your PIN is set. The app will ask for it next time you open it.",
  "lock.offDone": "The PIN lock is off.",

  "shared.now": "You signed in on a shared phone. The app is not saving anything on this phone.",
} as const;
