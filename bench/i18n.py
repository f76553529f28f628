"""The agenda in Chinese beside the same agenda in English.

- i18n.page_rps_ratio_zh: requests per second of the public agenda asked for in Chinese
  (Accept-Language: zh-CN) divided by the same page asked for in English, measured back to back in
  each round with the same client, workers and warm-up. Target at least 0.9: translation (catalog
  look-ups, Babel dates, Chinese content columns) must not make a page noticeably slower.
"""

from __future__ import annotations

from bench.harness import ROUNDS, load


def run(b) -> None:
    path = f"/events/{b.dataset.slug}/agenda"
    english, chinese = {"Accept-Language": "en"}, {"Accept-Language": "zh-CN,zh;q=0.9"}
    ratios = []
    for _ in range(ROUNDS):
        load(b.base_url, path, seconds=1, headers=english)
        en = load(b.base_url, path, headers=english)
        load(b.base_url, path, seconds=1, headers=chinese)
        zh = load(b.base_url, path, headers=chinese)
        for result in (en, zh):
            if result.errors:
                b.failures.append(f"{path}: {result.errors} unexpected answers {result.statuses}")
        ratios.append(zh.rps / en.rps if en.rps else 0.0)
    b.report_rounds("i18n.page_rps_ratio_zh", ratios)
