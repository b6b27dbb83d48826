#!/usr/bin/env python3
"""Writes samples/ner/items.jsonl from the hand-written sentences below.

Entities are given by their surface text (and, when it occurs more than once, which
occurrence); offsets are computed here in Unicode code points (Python str indexing),
end exclusive, as CONTRACT.md's `spans` result. Run: python3 samples/tools/make_ner.py
"""
import json
import pathlib

MODEL = "demo-ner-0.1"

# (id, text, predicted entities or None, score). A prediction entity is (surface, label)
# or (surface, label, occurrence). The demo model is deliberately imperfect on a few items
# (a wrong label, a missed entity, a too-long span) so that reviewers have something to fix.
SENTENCES = [
    ("ner-001", "Marie Curie moved to Paris in 1891 to study at the Sorbonne.",
     [("Marie Curie", "PER"), ("Paris", "LOC"), ("1891", "DATE"), ("Sorbonne", "ORG")], 0.94),
    ("ner-002", "On 12 March 2024, Siemens opened a new plant near Kraków.",
     [("12 March 2024", "DATE"), ("Siemens", "ORG"), ("Kraków", "LOC")], 0.91),
    ("ner-003", "Søren Kierkegaard was born in Copenhagen on 5 May 1813.",
     [("Søren Kierkegaard", "PER"), ("Copenhagen", "LOC"), ("5 May 1813", "DATE")], 0.88),
    ("ner-004", "The United Nations held an emergency session in Geneva last Tuesday.",
     [("United Nations", "ORG"), ("Geneva", "LOC")], 0.63),  # misses "last Tuesday"
    ("ner-005", "Zoë Ångström joined Spotify as a data engineer in January.",
     [("Zoë Ångström", "PER"), ("Spotify", "ORG"), ("January", "DATE")], 0.86),
    ("ner-006", "🎉 Congratulations to Amara Okafor, who won the Lagos marathon on Sunday!",
     [("Amara Okafor", "PER"), ("Lagos", "LOC"), ("Sunday", "DATE")], 0.79),
    ("ner-007", "Jordan flew from Amman to Jordan's neighbour Egypt for a week.",
     [("Jordan", "LOC"), ("Amman", "LOC"), ("Jordan", "LOC", 2), ("Egypt", "LOC")], 0.41),  # first "Jordan" is a person
    ("ner-008", "Apple reported record revenue for the quarter ending 30 September 2023.",
     [("Apple", "ORG"), ("30 September 2023", "DATE")], 0.93),
    ("ner-009", "Antonín Dvořák wrote the New World Symphony while living in New York.",
     [("Antonín Dvořák", "PER"), ("New York", "LOC")], 0.72),
    ("ner-010", "Dr. Lena Fischer of the Max Planck Society spoke in München on 2 June.",
     [("Dr. Lena Fischer", "PER"), ("Max Planck Society", "ORG"), ("München", "LOC"), ("2 June", "DATE")], 0.58),  # span includes the title
    ("ner-011", "In 1969, NASA landed the first people on the Moon.", None, None),
    ("ner-012", "Greta Thunberg addressed the European Parliament in Strasbourg.", None, None),
    ("ner-013", "The Danube flows through Vienna, Bratislava and Budapest.", None, None),
    ("ner-014", "Microsoft acquired GitHub in June 2018.", None, None),
    ("ner-015", "Hiroshi Tanaka has worked for Toyota in Nagoya since 2005.", None, None),
    ("ner-016", "The meeting between Ana Silva and the board of Petrobras is set for Friday.", None, None),
    ("ner-017", "São Paulo hosted the conference from 4 to 7 November.", None, None),
    ("ner-018", "Chidi Nwosu and Fatima Zahra founded a start-up in Nairobi in 2021.", None, None),
    ("ner-019", "The Red Cross sent volunteers to Valencia after the floods in October.", None, None),
    ("ner-020", "Ludwig van Beethoven died in Vienna on 26 March 1827.", None, None),
    ("ner-021", "Our team lead, Priya Raman, will be out of office until Monday.", None, None),
    ("ner-022", "The Louvre in Paris is the most visited museum in the world.", None, None),
    ("ner-023", "Björk performed at the Harpa concert hall in Reykjavík last summer.", None, None),
    ("ner-024", "Interpol arrested the suspect at Heathrow on New Year's Eve.", None, None),
    ("ner-025", "The package was shipped by DHL from Leipzig yesterday.", None, None),
    ("ner-026", "It rained all afternoon, so we stayed in and played cards.", None, None),
    ("ner-027", "Kofi Annan led the United Nations from 1997 to 2006.", None, None),
    ("ner-028", "Tesla will open its new factory outside Berlin next spring.", None, None),
    ("ner-029", "Mateo García scored twice for Boca Juniors in Buenos Aires on Saturday.", None, None),
    ("ner-030", "The World Health Organization declared the outbreak over in May 2022.", None, None),
]


def find(text, surface, occurrence=1):
    start = -1
    for _ in range(occurrence):
        start = text.find(surface, start + 1)
        if start < 0:
            raise SystemExit(f"{surface!r} (occurrence {occurrence}) not in {text!r}")
    return start, start + len(surface)


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "ner" / "items.jsonl"
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for item_id, text, ents, score in SENTENCES:
            obj = {"id": item_id, "data": {"text": text}}
            if ents is not None:
                spans = []
                for e in ents:
                    start, end = find(text, e[0], e[2] if len(e) > 2 else 1)
                    spans.append({"start": start, "end": end, "label": e[1]})
                obj["predictions"] = [{"model": MODEL, "result": {"entities": spans}, "score": score}]
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {len(SENTENCES)} items to {out}")


if __name__ == "__main__":
    main()
