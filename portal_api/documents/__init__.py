"""The documents-by-18 checklist: each council's catalogue of document types and each young
person's items with their dated history. A young person asks or tells; only staff change a state.
History is never rewritten: every change is a new dated event."""
