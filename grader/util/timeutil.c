#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int hw_time_parse(const char *s, time_t *t, int *offset_min)
{
    int Y, M, D, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
    while (*s == ' ')
        s++;
    if (strlen(s) < 16 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
        digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) || s[13] != ':' ||
        digits(s + 14, 2, &mi))
        return -1;
    const char *p = s + 16;
    if (*p == ':') {
        if (digits(p + 1, 2, &sec))
            return -1;
        p += 3;
    }
    while (*p == ' ')
        p++;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (digits(p + 1, 2, &oh))
            return -1;
        p += 3;
        if (*p == ':')
            p++;
        if (digits(p, 2, &om))
            return -1;
        p += 2;
    }
    while (*p == ' ' || *p == '\r' || *p == '\n')
        p++;
    if (*p || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || sec > 60 || oh > 14 || om > 59)
        return -1;
    int off = sign * (oh * 60 + om);
    *t = (time_t)(days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400L + h * 3600L + mi * 60L + sec - off * 60L);
    if (offset_min)
        *offset_min = off;
    return 0;
}

void hw_time_format(time_t t, int offset_min, char *buf, unsigned n)
{
    time_t local = t + offset_min * 60;
    struct tm tm;
    gmtime_r(&local, &tm);
    int a = abs(offset_min);
    snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d %c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, offset_min < 0 ? '-' : '+', a / 60, a % 60);
}

double hw_monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
