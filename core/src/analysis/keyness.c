/*
 * keyness.c: the log-likelihood G² of a word's frequencies in two corpora
 * (Dunning 1993, in the two-cell form Rayson & Garside 2000 give), with the
 * effect sizes reported beside it: Hardie's Log Ratio, Gabrielatos and
 * Marchi's %DIFF, and Wilson's BIC approximation of the Bayes factor.
 */
#include "analysis/keyness.h"

#include <math.h>
#include <string.h>

/* x ln(x / e), 0 when x is 0. */
static double xlogx(double x, double e)
{
    return x > 0 ? x * log(x / e) : 0;
}

void kb_keyness_compute(kb_keyness *out, double a, double b, double c, double d)
{
    memset(out, 0, sizeof *out);
    out->p = 1;
    out->pct_diff = NAN;
    if (c <= 0 || d <= 0)
        return;
    double e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
    out->g2 = a + b > 0 ? 2 * (xlogx(a, e1) + xlogx(b, e2)) : 0;
    if (out->g2 < 0) /* rounding when a / c = b / d */
        out->g2 = 0;
    double ra = a / c, rb = b / d;
    out->sign = ra > rb ? 1 : ra < rb ? -1 : 0;
    out->log_ratio = log2(((a > 0 ? a : 0.5) / c) / ((b > 0 ? b : 0.5) / d));
    if (b > 0)
        out->pct_diff = 100 * (ra - rb) / rb;
    out->bic = out->g2 - log(c + d);
    out->p = out->g2 >= 10.83  ? 0.001
             : out->g2 >= 6.63 ? 0.01
             : out->g2 >= 3.84 ? 0.05
                               : 1;
}
