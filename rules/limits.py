"""How long a text the user types may be: one table, so services enforce it and the GUI can
show a counter as the limit nears (e.g. ``"128 / 2000"``)."""

from __future__ import annotations

#: Names of units and people, 执法证号, phone numbers and other one-line fields.
NAME_MAX = 100
#: One-line descriptions: an address, a place, a caption, a position.
SHORT_TEXT_MAX = 300
#: A finding's note or answer, a reason, a party's statement, a recusal note.
NOTE_MAX = 10_000
#: Longer free text: a rectification report, a recheck's findings, referral feedback.
LONG_TEXT_MAX = 50_000

#: The audit log keeps a field of up to this many characters as it is; a longer one is kept
#: as its SHA-256, its length and its first :data:`AUDIT_EXCERPT` characters.
AUDIT_TEXT_MAX = 200
AUDIT_EXCERPT = 40

#: Warn (the GUI's counter turns amber) once this share of a limit is used.
WARN_AT = 0.8
