#!/usr/bin/env bash
# Times `labelbench agreement` against pandas + statsmodels (Fleiss' kappa) and pandas + NLTK (Krippendorff's alpha)
# on the same CSV of 500,000 judgements (100,000 items x 5 annotators, 4 labels), end to end: each run reads the
# CSV and prints the value. Python packages from Debian: apt-get install python3-pandas python3-statsmodels python3-nltk
# usage: tests/LabelBench.Benchmarks/agreement-vs-python.sh [items] [annotators]
set -euo pipefail
cd "$(dirname "$0")/../.."
items=${1:-100000}
annotators=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$work/judgements.csv"
/usr/bin/python3 - "$csv" "$items" "$annotators" <<'PY'
import random, sys
path, items, annotators = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(42)
with open(path, "w") as f:
    f.write("item,annotator,label\n")
    for i in range(items):
        truth = random.randrange(4)
        for a in range(annotators):
            label = truth if random.random() < 0.8 else random.randrange(4)
            f.write(f"{i},a{a},L{label}\n")
PY
echo "judgements: $((items * annotators)) in $(du -h "$csv" | cut -f1)"
dotnet build -c Release src/LabelBench.Cli -v q -nologo >/dev/null
cli=src/LabelBench.Cli/bin/Release/net10.0/labelbench
timed() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "  wall: $(echo "$end - $start" | bc) s"; }
echo "labelbench fleiss-kappa:";        timed "$cli" agreement --input "$csv" --metric fleiss-kappa
echo "labelbench krippendorff-alpha:";  timed "$cli" agreement --input "$csv" --metric krippendorff-alpha
echo "pandas + statsmodels fleiss:";    timed /usr/bin/python3 tests/LabelBench.Benchmarks/agreement_python.py "$csv" fleiss
echo "pandas + NLTK alpha (limit 900 s):"
timed timeout 900 /usr/bin/python3 tests/LabelBench.Benchmarks/agreement_python.py "$csv" alpha || echo "  NLTK did not finish within 900 s"
