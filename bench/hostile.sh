#!/bin/sh
# Wall time and peak memory of grading each hostile zip alone (limit: 2 s and
# 256 MB each). Usage: hostile.sh HWGRADE FIXTURE_DIRS...
set -eu
HW=$1
shift
printf '%-34s %8s %10s\n' zip seconds max_rss_MB
for d in "$@"; do
    for z in "$d"/*.zip; do
        /usr/bin/time -f '%e %M' -o /tmp/hwgrade-bench-time "$HW" grade --static "$z" > /dev/null 2>&1 || true
        read -r s kb <<EOT
$(tail -n 1 /tmp/hwgrade-bench-time)
EOT
        printf '%-34s %8s %10.1f\n' "$(basename "$z")" "$s" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
    done
done
rm -f /tmp/hwgrade-bench-time
