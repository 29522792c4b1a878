#!/usr/bin/env bash
# Spearman's rho and Kendall's tau-b with their p-values (`stats spearman`, `stats kendall`,
# lib/core/rank_correlation.hpp) against scipy on random data sets (tests/cli/rank_vs_scipy.py).
exec bash "$(cd "$(dirname "$0")" && pwd)/stats_vs_scipy.sh" rank_vs_scipy.py
