/*
 * ac.c: Aho-Corasick. Literals are added to a trie whose edges are byte
 * classes (the bytes that occur in some literal, plus one class for all
 * others); kb_ac_compile adds failure links breadth-first and turns the
 * trie into a DFA, and each state's outputs include those of its failure
 * chain, so a scan is one table lookup per byte; transitions into states
 * with outputs carry OUT_FLAG. The class count is rounded up to a power of
 * two and transitions hold the target's row offset, so a step is an add.
 */
#include "ac.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>

typedef struct lit {
    char *s;
    size_t n;
    uint32_t id;
} lit;

/* Set on a transition whose target state has outputs. */
#define OUT_FLAG ((int32_t)0x40000000)

struct kb_ac {
    lit *lits;
    size_t nlits, caplits;
    uint8_t cls[256];
    int ncls, shift; /* ncls == 1 << shift */
    int32_t *next;   /* nstates * ncls */
    size_t nstates, capstates;
    uint32_t *out_at, *out_n; /* per state, into outs */
    uint32_t *outs;
    size_t nouts, capouts;
};

kb_ac *kb_ac_new(void)
{
    return calloc(1, sizeof(kb_ac));
}

void kb_ac_free(kb_ac *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nlits; i++)
        free(a->lits[i].s);
    free(a->lits);
    free(a->next);
    free(a->out_at);
    free(a->out_n);
    free(a->outs);
    free(a);
}

int kb_ac_add(kb_ac *a, const char *s, size_t n, uint32_t id)
{
    if (!n)
        return 0;
    if (KB_GROW(&a->lits, &a->caplits, a->nlits + 1))
        return -1;
    char *c = malloc(n);
    if (!c)
        return -1;
    memcpy(c, s, n);
    a->lits[a->nlits++] = (lit){c, n, id};
    return 0;
}

static int32_t new_state(kb_ac *a)
{
    if (KB_GROW(&a->next, &a->capstates, (a->nstates + 1) * (size_t)a->ncls))
        return -1;
    for (int c = 0; c < a->ncls; c++)
        a->next[a->nstates * (size_t)a->ncls + (size_t)c] = -1;
    return (int32_t)a->nstates++;
}

int kb_ac_compile(kb_ac *a)
{
    /* Byte classes: 0 for bytes in no literal. */
    memset(a->cls, 0, sizeof a->cls);
    int used = 1;
    for (size_t i = 0; i < a->nlits; i++)
        for (size_t k = 0; k < a->lits[i].n; k++) {
            uint8_t b = (uint8_t)a->lits[i].s[k];
            if (!a->cls[b])
                a->cls[b] = (uint8_t)used++;
        }
    for (a->shift = 0; (1 << a->shift) < used; a->shift++)
        ;
    a->ncls = 1 << a->shift;
    size_t ncls = (size_t)a->ncls;
    if (new_state(a) < 0)
        return -1;
    /* The trie, with each literal's id at its end state. */
    uint32_t *end_id = NULL, *end_state = NULL;
    size_t cap1 = 0, cap2 = 0;
    if (KB_GROW(&end_id, &cap1, a->nlits + 1) ||
        KB_GROW(&end_state, &cap2, a->nlits + 1)) {
        free(end_id);
        free(end_state);
        return -1;
    }
    for (size_t i = 0; i < a->nlits; i++) {
        int32_t s = 0;
        for (size_t k = 0; k < a->lits[i].n; k++) {
            size_t c = a->cls[(uint8_t)a->lits[i].s[k]];
            int32_t t = a->next[(size_t)s * ncls + c];
            if (t < 0) {
                if ((t = new_state(a)) < 0) {
                    free(end_id);
                    free(end_state);
                    return -1;
                }
                a->next[(size_t)s * ncls + c] = t;
            }
            s = t;
        }
        end_state[i] = (uint32_t)s;
        end_id[i] = a->lits[i].id;
    }
    /* Breadth-first: failure links, DFA transitions, merged outputs. */
    size_t n = a->nstates;
    int32_t *fail = calloc(n, sizeof *fail), *queue = calloc(n, sizeof *queue);
    uint32_t **own = calloc(n, sizeof *own);
    size_t *nown = calloc(n, sizeof *nown), *capown = calloc(n, sizeof *capown);
    a->out_at = calloc(n, sizeof *a->out_at);
    a->out_n = calloc(n, sizeof *a->out_n);
    int rc = -1;
    if (!fail || !queue || !own || !nown || !capown || !a->out_at || !a->out_n)
        goto out;
    for (size_t i = 0; i < a->nlits; i++) {
        uint32_t s = end_state[i];
        if (KB_GROW(&own[s], &capown[s], nown[s] + 1))
            goto out;
        own[s][nown[s]++] = end_id[i];
    }
    size_t head = 0, tail = 0;
    for (size_t c = 0; c < ncls; c++) {
        int32_t t = a->next[c];
        if (t < 0) {
            a->next[c] = 0;
        } else {
            fail[t] = 0;
            queue[tail++] = t;
        }
    }
    while (head < tail) {
        int32_t s = queue[head++];
        /* outputs of s: its own, then its failure state's (already merged) */
        int32_t f = fail[s];
        for (uint32_t k = 0; k < a->out_n[f]; k++) {
            if (KB_GROW(&own[s], &capown[s], nown[s] + 1))
                goto out;
            own[s][nown[s]++] = a->outs[a->out_at[f] + k];
        }
        if (KB_GROW(&a->outs, &a->capouts, a->nouts + nown[s] + 1))
            goto out;
        a->out_at[s] = (uint32_t)a->nouts;
        a->out_n[s] = (uint32_t)nown[s];
        if (nown[s])
            memcpy(a->outs + a->nouts, own[s], nown[s] * sizeof *a->outs);
        a->nouts += nown[s];
        for (size_t c = 0; c < ncls; c++) {
            int32_t t = a->next[(size_t)s * ncls + c];
            int32_t via = a->next[(size_t)f * ncls + c];
            if (t < 0) {
                a->next[(size_t)s * ncls + c] = via;
            } else {
                fail[t] = via;
                queue[tail++] = t;
            }
        }
    }
    /* Row offsets for targets, and a mark on transitions into states with
     * outputs, so that a scan looks at the outputs only there. */
    if (n * ncls >= (size_t)OUT_FLAG)
        goto out;
    for (size_t i = 0; i < n * ncls; i++) {
        int32_t t = a->next[i];
        a->next[i] =
            (int32_t)((uint32_t)t << a->shift) | (a->out_n[t] ? OUT_FLAG : 0);
    }
    rc = 0;
out:
    for (size_t i = 0; own && i < n; i++)
        free(own[i]);
    free(own);
    free(nown);
    free(capown);
    free(fail);
    free(queue);
    free(end_id);
    free(end_state);
    return rc;
}

void kb_ac_scan(const kb_ac *a, const char *s, size_t n,
                void (*hit)(void *ctx, uint32_t id), void *ctx)
{
    const int32_t *next = a->next;
    const uint8_t *cls = a->cls;
    int32_t st = 0;
    for (size_t i = 0; i < n; i++) {
        st = next[(size_t)(st & ~OUT_FLAG) + cls[(uint8_t)s[i]]];
        if (st & OUT_FLAG) {
            int32_t t = (st & ~OUT_FLAG) >> a->shift;
            for (uint32_t k = 0; k < a->out_n[t]; k++)
                hit(ctx, a->outs[a->out_at[t] + k]);
        }
    }
}
