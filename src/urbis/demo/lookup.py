"""Finding organisations by the names the seed report uses, for the demo loaders.

The seed spells some organisations several ways ("Pokhara" and "Pokhara Metropolitan City",
"Manila" and "Manila City"); the registry stores one name, the official name and aliases.
"""

from __future__ import annotations

from urbis.members.models import Organisation


def organisation_names() -> dict[str, Organisation]:
    """Every organisation under its name, its official name and each alias.

    A name always wins over another organisation's official name or alias.
    """
    organisations = list(Organisation.objects.order_by("pk"))
    index: dict[str, Organisation] = {}
    for org in organisations:
        for other in [org.official_name, *(org.aliases or [])]:
            if other:
                index.setdefault(other, org)
    for org in organisations:
        index[org.name] = org
    return index
