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

# Official Chinese names, as the host's Chinese-language APEC documents write them.
CHINESE_NAMES = {
    "AUS": "澳大利亚", "BD": "文莱达鲁萨兰国", "CDA": "加拿大", "CHL": "智利", "PRC": "中华人民共和国",
    "HKC": "中国香港", "INA": "印度尼西亚", "JPN": "日本", "ROK": "大韩民国", "MAS": "马来西亚", "MEX": "墨西哥",
    "NZ": "新西兰", "PNG": "巴布亚新几内亚", "PE": "秘鲁", "PHL": "菲律宾", "RUS": "俄罗斯", "SGP": "新加坡",
    "CT": "中国台北", "THA": "泰国", "USA": "美国", "VN": "越南", "MAC": "中国澳门", "KHM": "柬埔寨", "LAO": "老挝",
    "ASEAN": "东盟秘书处", "PECC": "太平洋经济合作理事会", "PIF": "太平洋岛国论坛秘书处",
}

# APEC travel-eligible economies (the developing members), effective from the APEC
# guidebook in force; kept as data so the secretariat can change it.
TRAVEL_ELIGIBLE = ["CHL", "PRC", "INA", "MAS", "MEX", "PNG", "PE", "PHL", "THA", "VN"]
TRAVEL_ELIGIBLE_FROM = "2020-01-01"


def reference_rows() -> list[tuple[str, str, EconomyKind, int]]:
    rows = [(code, name, EconomyKind.MEMBER, (i + 1) * 10) for i, (code, name) in enumerate(MEMBERS)]
    rows += [(code, name, kind, 1000 + (i + 1) * 10) for i, (code, name, kind) in enumerate(OTHERS)]
    return rows
