#!/bin/bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu): the packages hwgrade needs, then hwgrade built from the source
# that came in autograder.zip (/autograder/source).
set -eu
cd "${AUTOGRADER_ROOT:-/autograder}/source"
sh scripts/install-deps.sh
make -j"$(nproc)"
build/hwgrade --version
