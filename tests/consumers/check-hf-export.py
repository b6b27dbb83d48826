#!/usr/bin/python3
"""Reads an unzipped `labelbench export --format hf` folder the way a consumer would, without the `datasets` package.

Checks that the dataset card's YAML front matter names every split file, that pandas.read_json(lines=True) reads each
split, that the columns are the card's features in order, that int64 features hold integers, that class_label values
are among the card's names, and that num_examples matches the rows.

Usage: /usr/bin/python3 tests/consumers/check-hf-export.py FOLDER   (Debian: python3-pandas, python3-yaml)
"""
import os
import sys

import pandas as pd
import yaml


def main(folder):
    card = open(os.path.join(folder, "README.md"), encoding="utf-8").read()
    assert card.startswith("---\n"), "the card starts with YAML front matter"
    meta = yaml.safe_load(card.split("---\n")[1])
    features = meta["dataset_info"]["features"]
    counts = {s["name"]: s["num_examples"] for s in meta["dataset_info"]["splits"]}
    files = meta["configs"][0]["data_files"]
    names = [f["name"] for f in features]
    for entry in files:
        split, path = entry["split"], entry["path"]
        frame = pd.read_json(os.path.join(folder, path), lines=True, dtype=False)
        assert list(frame.columns) == names, f"{path}: columns {list(frame.columns)} != features {names}"
        assert len(frame) == counts[split], f"{path}: {len(frame)} rows, card says {counts[split]}"
        for feature in features:
            column, dtype = frame[feature["name"]], feature["dtype"]
            values = column.dropna()
            if dtype == "int64":
                assert all(isinstance(v, int) for v in values), f"{path}: {feature['name']} is not all integers"
            elif dtype == "string":
                assert all(isinstance(v, str) for v in values), f"{path}: {feature['name']} is not all strings"
            elif isinstance(dtype, dict) and "class_label" in dtype:
                labels = set(dtype["class_label"]["names"].values())
                assert set(values) <= labels, f"{path}: {feature['name']} has {set(values) - labels} outside {labels}"
        print(f"{split}: {path} {len(frame)} rows, columns {names} match the card")
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
