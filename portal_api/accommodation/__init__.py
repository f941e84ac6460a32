"""Where I live: the register of providers, schemes and quality visits; each young person's
accommodation history; the concerns they raise and their satisfaction; and the managers' overview,
computed in SQL from that same work. Concerns are closed with an outcome, never deleted, and a
young person who asked to stay anonymous is never named in what goes to a provider."""
