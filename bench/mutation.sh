#!/usr/bin/env bash
# Mutation testing of the modules that guard data: atomic writes (fazhi/atomic.py), the
# model folder (fazhi/learning/store.py), labels validation (fazhi/labels/load.py,
# fazhi/labels/rows.py) and the segmenter (fazhi/units/segment.py), against their fast
# tests. mutmut changes one thing at a time in those modules (an operator, a constant,
# an argument) and runs the tests that reach the changed function; a mutant no test
# notices is a gap in the tests, or a change that makes no difference.
#
#   pip install -e ".[test,bench]" && bench/mutation.sh [CHILDREN]   # about 10 minutes on 2 idle cores
#
# The modules and tests are set in [tool.mutmut] in pyproject.toml. mutmut works in a
# copy, mutants/ (git-ignored). Prints the score per module and every mutant that
# survived with its change; bench/mutation.md holds the latest figures and what became
# of each survivor. Not part of pytest or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
# a mutant can turn a bounded loop or read into an endless one: cap each process's memory
ulimit -v "${FAZHI_MUTATION_MEMORY_KB:-8000000}"
rm -rf mutants
mutmut run --max-children "${1:-2}" > mutants.log 2>&1 || { tail -c 3000 mutants.log >&2; exit 1; }
mv mutants.log mutants/run.log
mutmut results --all true > mutants/results.txt
python bench/mutation_score.py mutants/results.txt
