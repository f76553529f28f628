"""The agenda in Chinese beside the same agenda in English.

- i18n.page_rps_ratio_zh: requests per second of the public agenda asked for in Chinese
  (Accept-Language: zh-CN) divided by the same page asked for in English, measured back to back in
  each round with the same client, workers and warm-up. Target at least 0.9: translation (catalog
  look-ups, Babel dates, Chinese content columns) must not make a page noticeably slower.
"""

from __future__ import annotations

import statistics

from bench.harness import ROUNDS, SPREAD_LIMIT, load


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
    median = statistics.median(ratios)
    low, high = min(ratios), max(ratios)
    spread = (high - low) / median if median else 0.0
    flag = f"  SPREAD {spread:.0%} > {SPREAD_LIMIT:.0%}" if spread > SPREAD_LIMIT else ""
    print(f"i18n.page_rps_ratio_zh: {median:.3f}  ({low:.3f}…{high:.3f}, {len(ratios)} rounds){flag}", flush=True)
    if flag:
        b.failures.append(f"i18n.page_rps_ratio_zh: spread {spread:.0%}; measure on a quieter machine")
