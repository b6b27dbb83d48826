#!/usr/bin/env bash
# Regenerates the single Initial migration for both providers (used while nothing has shipped; once a release
# exists, add new migrations instead). Run from anywhere: src/LabelBench.Data/regen-migrations.sh
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
rm -rf Migrations LabelBench
dotnet ef migrations add Initial --context SqliteLabelBenchDbContext --output-dir Migrations/Sqlite --namespace LabelBench.Data.Migrations.Sqlite >/dev/null
dotnet ef migrations add Initial --context PostgresLabelBenchDbContext --output-dir Migrations/Postgres --namespace LabelBench.Data.Migrations.Postgres >/dev/null
# EF places the model snapshots by namespace; keep them beside their migrations.
mv LabelBench/Data/Migrations/Sqlite/*.cs Migrations/Sqlite/
mv LabelBench/Data/Migrations/Postgres/*.cs Migrations/Postgres/
rm -rf LabelBench
find Migrations -name '*.cs' | sort
