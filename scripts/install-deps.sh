#!/bin/sh
# Installs the Debian packages hwgrade needs to build, test and run: the
# notebook run (notebook_runs) needs a Jupyter kernel and what the HW1
# template imports (plotly, scikit-learn, pandas, tqdm), as the course's Colab has.
# As root: installs whatever is missing (apt-get). Otherwise: lists what is
# missing and fails, so a build never half-works on a machine without them.
set -eu

PKGS="gcc make pkg-config libc6-dev
libzip-dev libyaml-dev libpcre2-dev libutf8proc-dev libseccomp-dev libgit2-dev libsqlite3-dev
check libsubunit-dev
python3 python3-numpy python3-torch python3-matplotlib bubblewrap git zip unzip time procps
python3-nbclient python3-ipykernel python3-nbconvert
python3-plotly python3-sklearn python3-pandas python3-tqdm wamerican
$*"  # extra packages one target needs (make fuzz: clang)

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "hwgrade: missing Debian packages:$missing" >&2
    echo "hwgrade: run 'sudo $0' (or apt-get install them) and try again" >&2
    exit 1
fi

echo "hwgrade: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
