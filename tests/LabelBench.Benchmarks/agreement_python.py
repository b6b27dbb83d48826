"""The same agreement figures with the Python stack, for the comparison in README.md.

usage: agreement_python.py CSV fleiss|alpha|alpha-nltk
  fleiss      pandas.read_csv + crosstab + statsmodels fleiss_kappa (item x category counts)
  alpha       pandas + NLTK AnnotationTask.alpha() (nominal)
"""
import sys
import time

import pandas as pd

path, what = sys.argv[1], sys.argv[2]
start = time.perf_counter()
df = pd.read_csv(path, dtype={"item": str, "annotator": str, "label": str})
if what == "fleiss":
    from statsmodels.stats.inter_rater import fleiss_kappa
    table = pd.crosstab(df["item"], df["label"]).to_numpy()
    value = fleiss_kappa(table, method="fleiss")
elif what == "alpha":
    from nltk.metrics.agreement import AnnotationTask
    task = AnnotationTask(data=list(zip(df["annotator"], df["item"], df["label"])))
    value = task.alpha()
else:
    raise SystemExit(f"unknown measure {what}")
print(f"{what} {value:.6f} {time.perf_counter() - start:.2f}s")
