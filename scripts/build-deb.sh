#!/bin/sh
# Builds hwgrade_VERSION_ARCH.deb with dpkg-deb: the binary (built with
# PREFIX=/usr), the rubric and the runner programs under /usr/share/hwgrade,
# the man page, the copyright and changelog, and Depends on exactly what it
# needs at run time: the shared libraries' packages (dpkg-shlibdeps), the
# jail (bubblewrap), the Python the runner imports and the notebook run's
# kernel and the modules the HW1 template imports.
# Usage: build-deb.sh BINARY VERSION OUTDIR
set -eu
BIN=$1
VERSION=$2
OUT=$3
src=$(cd "$(dirname "$0")/.." && pwd)
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$root" "$work"' EXIT
chmod 0755 "$root"

install -D -m 0755 "$BIN" "$root/usr/bin/hwgrade"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/hwgrade"
for f in "$src"/homeworks/*/rubric.yaml; do
    h=$(basename "$(dirname "$f")")
    install -D -m 0644 "$f" "$root/usr/share/hwgrade/homeworks/$h/rubric.yaml"
done
for f in "$src"/grader/runner/*.py; do
    install -D -m 0644 "$f" "$root/usr/share/hwgrade/runner/$(basename "$f")"
done
mkdir -p "$root/usr/share/man/man1" "$root/usr/share/doc/hwgrade"
gzip -9n < "$src/docs/hwgrade.1" > "$root/usr/share/man/man1/hwgrade.1.gz"
cat > "$root/usr/share/doc/hwgrade/copyright" <<'TXT'
hwgrade: a grader for a deep-learning homework.

Copyright 2026 the hwgrade authors.

The project has not chosen a license yet: the package may be used to grade
where its authors gave it; ask them before passing it on.
TXT
cat > "$work/changelog" <<TXT
hwgrade ($VERSION) unstable; urgency=medium

  * Packaged with make deb.

 -- hwgrade maintainers <hwgrade@example.org>  Sat, 05 Dec 2026 00:00:00 +0000
TXT
gzip -9n < "$work/changelog" > "$root/usr/share/doc/hwgrade/changelog.gz"

# The libraries' packages, as Debian's own packaging finds them.
mkdir -p "$work/debian"
printf 'Source: hwgrade\n\nPackage: hwgrade\nArchitecture: any\n' > "$work/debian/control"
libs=$(cd "$work" && dpkg-shlibdeps -O "$root/usr/bin/hwgrade" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$libs" ] || { echo "build-deb: dpkg-shlibdeps found no libraries" >&2; exit 1; }
runtime="bubblewrap, python3, python3-numpy, python3-torch, python3-matplotlib, python3-nbclient, python3-ipykernel,
 python3-nbconvert, python3-plotly, python3-sklearn, python3-pandas, python3-tqdm"

mkdir -p "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<TXT
Package: hwgrade
Version: $VERSION
Architecture: $arch
Maintainer: hwgrade maintainers <hwgrade@example.org>
Installed-Size: $size
Depends: $libs, $(echo "$runtime" | tr -d '\n')
Recommends: wamerican
Section: education
Priority: optional
Description: grader for a deep-learning homework, with a jail for student code
 hwgrade grades HW1 submissions (Jupyter notebooks and pytorch_basic.py):
 it checks files and saved outputs against a YAML rubric, runs the
 students' functions on generated inputs in a bubblewrap jail (or, as root
 where there are no user namespaces, a jail of its own uid) and compares
 them with a reference written in C, runs notebooks top to bottom on a
 Jupyter kernel, and writes grades, feedback and Gradescope results.
TXT
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k2) > "$root/DEBIAN/md5sums"
mkdir -p "$OUT"
deb="$OUT/hwgrade_${VERSION}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null
echo "$deb"
