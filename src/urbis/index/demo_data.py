"""Generate the SYNTHETIC demonstration data of the index (run once; output committed).

    python -m urbis.index.demo_data

Writes src/urbis/demo/data/ga6/index/: edition.yaml (the 2023 edition, its published
cut-points and 30 survey items), cities.yaml (the participating cities of the 6th General
Assembly with their countries and a synthetic city-level HDI) and survey-synthetic.csv
(shares of 120 residents agreeing, waves 2021-2023, a few waves and items missing).
None of these values is a survey result or an official HDI: every one is synthetic.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import yaml

OUT = Path(__file__).resolve().parent.parent / "demo" / "data" / "ga6" / "index"
SEED = 20230926
RESPONDENTS = 120
WAVES = (2023, 2022, 2021)
LABEL = "SYNTHETIC demonstration data: not survey results, not official HDI values."

# The participating cities listed in the activity report, with their countries.
CITIES = [
    ("Abuja", "NG"), ("Addis Ababa", "ET"), ("Kampala", "UG"), ("Lusaka", "ZM"),
    ("Maputo", "MZ"), ("Nansana Municipality", "UG"), ("Tubah", "CM"),
    ("Beyoğlu", "TR"), ("Dublin", "IE"), ("Madrid City", "ES"), ("Odense", "DK"),
    ("Konya", "TR"),
    ("Abu Dhabi", "AE"), ("Hebron", "PS"), ("Madinah", "SA"), ("Shiraz", "IR"),
    ("Tehran", "IR"),
    ("Cuenca", "EC"), ("Los-Angeles", "US"), ("Mexico City", "MX"), ("São Paulo", "BR"),
    ("Agra", "IN"), ("Almaty", "KZ"), ("Anyang City", "KR"), ("Astana", "KZ"),
    ("Baguio", "PH"), ("Bangkok", "TH"), ("Bhadrapur Municipality", "NP"),
    ("Birtamode Municipality", "NP"), ("Bishkek", "KG"), ("Chengdu", "CN"),
    ("Chirchik", "UZ"), ("Damak Municipality", "NP"), ("Da Nang", "VN"),
    ("Dhaka South", "BD"), ("Dujiangyan", "CN"), ("Gauriganj", "IN"), ("Goyang", "KR"),
    ("Jeju Province", "KR"), ("Kanakai Municipality", "NP"), ("Kaohsiung", "TW"),
    ("La Union", "PH"), ("Makati", "PH"), ("Manila City", "PH"), ("Penang Island", "MY"),
    ("Pokhara", "NP"), ("Quezon City", "PH"), ("Ryde", "AU"), ("Sainshand City", "MN"),
    ("San Fernando, La Union", "PH"), ("Seberang Perai", "MY"), ("Sejong City", "KR"),
    ("Seoul", "KR"),
]  # fmt: skip

# A rough development level per country, only to make the synthetic HDI look plausible.
LEVEL = {
    "AU": 0.94, "DK": 0.94, "IE": 0.94, "KR": 0.92, "ES": 0.91, "US": 0.92, "AE": 0.92,
    "TW": 0.91, "SA": 0.87, "TR": 0.85, "KZ": 0.80, "MY": 0.80, "TH": 0.80, "IR": 0.78,
    "MX": 0.78, "CN": 0.78, "BR": 0.76, "EC": 0.76, "MN": 0.74, "PS": 0.72, "VN": 0.73,
    "UZ": 0.73, "KG": 0.70, "PH": 0.70, "IN": 0.64, "BD": 0.67, "NP": 0.60, "ZM": 0.57,
    "CM": 0.58, "UG": 0.55, "NG": 0.55, "ET": 0.49, "MZ": 0.46,
}  # fmt: skip

ITEMS = [
    (
        "s-hs-1",
        "structures",
        "health_safety",
        "Residents of the poorest districts have adequate sanitation",
    ),
    ("s-hs-2", "structures", "health_safety", "Walking alone at night feels safe"),
    ("s-hs-3", "structures", "health_safety", "Medical care is easy to obtain"),
    ("s-mo-1", "structures", "mobility", "Traffic congestion is rarely a serious problem"),
    ("s-mo-2", "structures", "mobility", "Public transport is satisfactory"),
    ("s-mo-3", "structures", "mobility", "Cycling on city streets is safe"),
    ("s-ac-1", "structures", "activities", "Green spaces are plentiful and well kept"),
    ("s-ac-2", "structures", "activities", "Cultural activities are easy to find"),
    ("s-ac-3", "structures", "activities", "Recycling services are reliable"),
    ("s-op-1", "structures", "opportunities", "Finding work is not especially hard"),
    ("s-op-2", "structures", "opportunities", "Most children can attend a good school"),
    ("s-op-3", "structures", "opportunities", "Local institutions offer lifelong learning"),
    ("s-go-1", "structures", "governance", "Residents take part in local decisions"),
    ("s-go-2", "structures", "governance", "Corruption among city officials is not a concern"),
    ("s-go-3", "structures", "governance", "Local government decisions are easy to find out about"),
    (
        "t-hs-1",
        "technology",
        "health_safety",
        "Reporting a problem with city services online is quick",
    ),
    (
        "t-hs-2",
        "technology",
        "health_safety",
        "Online booking has shortened waits for medical care",
    ),
    (
        "t-hs-3",
        "technology",
        "health_safety",
        "Online air-quality information helps residents plan",
    ),
    ("t-mo-1", "technology", "mobility", "Car- and bicycle-sharing apps have eased congestion"),
    ("t-mo-2", "technology", "mobility", "Public transport tickets can be bought online"),
    ("t-mo-3", "technology", "mobility", "Live arrival and delay information is available"),
    ("t-ac-1", "technology", "activities", "Tickets for cultural venues can be bought online"),
    ("t-ac-2", "technology", "activities", "Online platforms make local events easy to find"),
    (
        "t-ac-3",
        "technology",
        "activities",
        "Residents can follow their water and energy use online",
    ),
    ("t-op-1", "technology", "opportunities", "Online job listings have made finding work easier"),
    (
        "t-op-2",
        "technology",
        "opportunities",
        "Internet speed and reliability meet residents' needs",
    ),
    ("t-op-3", "technology", "opportunities", "Schools teach IT skills well"),
    (
        "t-go-1",
        "technology",
        "governance",
        "Online access to public finances has reduced corruption",
    ),
    ("t-go-2", "technology", "governance", "Online consultation has increased participation"),
    ("t-go-3", "technology", "governance", "Identity documents can be processed online quickly"),
]

CUTPOINTS = {
    1: {"AAA": 85, "AA": 70, "A": 55, "BBB": 40},
    2: {"A": 75, "BBB": 60, "BB": 45, "B": 30},
    3: {"BB": 65, "B": 50, "CCC": 35, "CC": 20},
    4: {"CCC": 55, "CC": 40, "C": 25},
}


def main() -> None:
    rng = np.random.default_rng(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    n, k = len(CITIES), len(ITEMS)
    hdi = np.array([LEVEL[c] for _, c in CITIES]) + rng.normal(0.02, 0.025, n)
    hdi = np.clip(np.round(hdi, 3), 0.35, 0.98)
    edition = {
        "label": LABEL,
        "year": 2023,
        "title": "Smart City Index 2023 (synthetic demonstration)",
        "synthetic": True,
        "respondents": RESPONDENTS,
        "cutpoints": CUTPOINTS,
        "notes": LABEL,
        "items": [{"code": c, "pillar": p, "area": a, "statement": s} for c, p, a, s in ITEMS],
    }
    header = f"# {LABEL}\n# Generated by urbis.index.demo_data with seed {SEED}.\n"
    (OUT / "edition.yaml").write_text(
        header + yaml.safe_dump(edition, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    cities = {
        "label": LABEL,
        "cities": [
            {"name": name, "country": country, "hdi": float(h), "source": "SYNTHETIC"}
            for (name, country), h in zip(CITIES, hdi, strict=True)
        ],
    }
    (OUT / "cities.yaml").write_text(
        header + yaml.safe_dump(cities, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    # Perception: a city's level follows its HDI loosely; items differ in difficulty.
    city_level = 1.6 * (hdi - hdi.mean()) + rng.normal(0, 0.35, n)
    item_level = rng.normal(0, 0.5, k)
    tech = np.array([p == "technology" for _, p, _, _ in ITEMS])
    city_tech = rng.normal(0, 0.3, n)
    with (OUT / "survey-synthetic.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# {LABEL}\n")
        writer = csv.writer(fh)
        writer.writerow(["city", "indicator", "wave", "share", "respondents"])
        for j, (name, _) in enumerate(CITIES):
            # some cities joined the survey late or skipped a wave
            waves = list(WAVES)
            if j % 11 == 3:
                waves.remove(2022)
            if j % 17 == 5:
                waves = [2023]
            for w, wave in enumerate(WAVES):
                if wave not in waves:
                    continue
                drift = -0.08 * w
                for i, (code, *_rest) in enumerate(ITEMS):
                    if rng.random() < 0.01:
                        continue  # an item not asked
                    logit = city_level[j] + item_level[i] + city_tech[j] * tech[i] + drift
                    p = 1 / (1 + np.exp(-logit))
                    share = rng.binomial(RESPONDENTS, p) / RESPONDENTS
                    writer.writerow([name, code, wave, f"{share:.4f}", RESPONDENTS])


if __name__ == "__main__":
    main()
