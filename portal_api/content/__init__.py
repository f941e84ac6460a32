"""The local offer: rights and entitlements pages loaded from /content at start-up, who each page
applies to, young people's responses, and the entitlements they receive. Pages are read-only at run
time; a malformed page never reaches a running server."""
