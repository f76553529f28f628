"""Reference data: APEC members in official order, guests and observers. Loaded idempotently."""

from eventhub.economies.models import EconomyKind

# (code, name, kind, sort_key)
MEMBERS = [
    ("AUS", "Australia"),
    ("BD", "Brunei Darussalam"),
    ("CDA", "Canada"),
    ("CHL", "Chile"),
    ("PRC", "People's Republic of China"),
    ("HKC", "Hong Kong, China"),
    ("INA", "Indonesia"),
    ("JPN", "Japan"),
    ("ROK", "Republic of Korea"),
    ("MAS", "Malaysia"),
    ("MEX", "Mexico"),
    ("NZ", "New Zealand"),
    ("PNG", "Papua New Guinea"),
    ("PE", "Peru"),
    ("PHL", "The Philippines"),
    ("RUS", "Russia"),
    ("SGP", "Singapore"),
    ("CT", "Chinese Taipei"),
    ("THA", "Thailand"),
    ("USA", "United States"),
    ("VN", "Viet Nam"),
]

OTHERS = [
    ("MAC", "Macao, China", EconomyKind.GUEST),
    ("KHM", "Cambodia", EconomyKind.GUEST),
    ("LAO", "Lao PDR", EconomyKind.GUEST),
    ("ASEAN", "ASEAN Secretariat", EconomyKind.OBSERVER),
    ("PECC", "Pacific Economic Cooperation Council", EconomyKind.OBSERVER),
    ("PIF", "Pacific Islands Forum Secretariat", EconomyKind.OBSERVER),
]

# APEC travel-eligible economies (the developing members), effective from the APEC
# guidebook in force; kept as data so the secretariat can change it.
TRAVEL_ELIGIBLE = ["CHL", "PRC", "INA", "MAS", "MEX", "PNG", "PE", "PHL", "THA", "VN"]
TRAVEL_ELIGIBLE_FROM = "2020-01-01"


def reference_rows() -> list[tuple[str, str, EconomyKind, int]]:
    rows = [(code, name, EconomyKind.MEMBER, (i + 1) * 10) for i, (code, name) in enumerate(MEMBERS)]
    rows += [(code, name, kind, 1000 + (i + 1) * 10) for i, (code, name, kind) in enumerate(OTHERS)]
    return rows
