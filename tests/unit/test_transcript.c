/*
 * test_transcript.c: speakers, timestamps, turns, paragraphs and offsets
 * found by the transcript parser (core/src/ingest/transcript.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ingest/transcript.h"
#include "base/utf8.h"

static kbi_transcript parse_with(const char *text, const char *regex,
                                 const char *interviewers)
{
    kbi_parse_rules *r;
    kb_error err;
    assert_int_equal(kbi_parse_rules_new(&r, regex, interviewers, &err), 0);
    kbi_transcript t = {0};
    assert_int_equal(kbi_transcript_parse(&t, text, strlen(text), r, &err), 0);
    kbi_parse_rules_free(r);
    /* Invariants: code points agree with bytes, spans nest. */
    const kbi_tseg_array *all[3] = {&t.turns, &t.paras, &t.sents};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < all[k]->n; i++) {
            const kbi_tseg *s = &all[k]->v[i];
            assert_true(s->b0 <= s->b1);
            assert_int_equal(s->c0, kbi_utf8_count(text, s->b0));
            assert_int_equal(s->c1, kbi_utf8_count(text, s->b1));
        }
    for (size_t i = 0; i < t.sents.n; i++) {
        const kbi_tseg *p = &t.paras.v[t.sents.v[i].para];
        assert_true(p->b0 <= t.sents.v[i].b0 && t.sents.v[i].b1 <= p->b1);
    }
    return t;
}

static kbi_transcript parse(const char *text)
{
    return parse_with(text, NULL, NULL);
}

static void assert_span(const char *text, const kbi_tseg *s, const char *want)
{
    size_t n = s->b1 - s->b0;
    if (n != strlen(want) || memcmp(text + s->b0, want, n) != 0)
        fail_msg("span [%.*s] != [%s]", (int)n, text + s->b0, want);
}

static const char *speaker(const kbi_transcript *t, const kbi_tseg *s)
{
    return s->speaker >= 0 ? t->speakers[s->speaker] : "-";
}

static void test_labels_roles_timestamps(void **state)
{
    (void)state;
    const char *text = "Intervju 3, 2020-11-04\n"
                       "\n"
                       "[00:00:05] I: Hur började det?\n"
                       "\n"
                       "[00:00:09] R: Det började med VVG. Sen kom mer.\n"
                       "Ett andra stycke.\n"
                       "\n"
                       "(12:34) I: Och sen?\n"
                       "01:02:03 R: Sen blev det bra.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.n, 4);
    assert_int_equal(t.paras.n, 6);
    assert_int_equal(t.nspeakers, 2);
    assert_string_equal(t.speakers[0], "I");
    assert_int_equal(t.roles[0], KB_ROLE_INTERVIEWER);
    assert_string_equal(t.speakers[1], "R");
    assert_int_equal(t.roles[1], KB_ROLE_RESPONDENT);
    /* the header is a paragraph of no turn and no speaker */
    assert_span(text, &t.paras.v[0], "Intervju 3, 2020-11-04");
    assert_int_equal(t.paras.v[0].speaker, -1);
    assert_int_equal(t.paras.v[0].turn, KB_NO_INDEX);
    assert_span(text, &t.turns.v[1],
                "Det började med VVG. Sen kom mer.\nEtt andra stycke.");
    assert_int_equal(t.turns.v[0].time_ms, 5000);
    assert_int_equal(t.turns.v[1].time_ms, 9000);
    assert_int_equal(t.turns.v[2].time_ms, (12 * 60 + 34) * 1000);
    assert_int_equal(t.turns.v[3].time_ms, 3723000);
    /* the untimed second paragraph carries the turn's time */
    assert_int_equal(t.paras.v[3].time_ms, 9000);
    assert_int_equal(t.paras.v[3].turn, 1);
    assert_int_equal(t.sents.n, 7);
    assert_span(text, &t.sents.v[3], "Sen kom mer.");
    assert_int_equal(t.sents.v[3].para, 2);
    kbi_transcript_clear(&t);
}

static void test_label_forms(void **state)
{
    (void)state;
    const char *text = "Intervjuare: Fråga ett?\n"
                       "Respondent 2: Svar.\n"
                       "IP3: Mer svar.\n"
                       "ANNIKA BERG: Ett.\n"
                       "ANNIKA BERG: Två.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.n, 5);
    const char *want[] = {"Intervjuare", "Respondent 2", "IP3", "ANNIKA BERG",
                          "ANNIKA BERG"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(speaker(&t, &t.turns.v[i]), want[i]);
    assert_int_equal(t.roles[0], KB_ROLE_INTERVIEWER);
    kbi_transcript_clear(&t);
}

static void test_bracket_labels(void **state)
{
    (void)state;
    const char *text = "[Intervjuare] Hur gick det?\n"
                       "[Margareta] Hej.\n"
                       "[skratt] Inte en talare.\n"
                       "[Margareta]\n"
                       "Text på nästa rad.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.n, 3);
    assert_string_equal(speaker(&t, &t.turns.v[0]), "Intervjuare");
    assert_int_equal(t.roles[0], KB_ROLE_INTERVIEWER);
    /* "[skratt] ..." continues Margareta's turn */
    assert_span(text, &t.turns.v[1], "Hej.\n[skratt] Inte en talare.");
    assert_span(text, &t.turns.v[2], "Text på nästa rad.");
    kbi_transcript_clear(&t);
}

static void test_colon_in_running_text_is_not_a_speaker(void **state)
{
    (void)state;
    const char *text = "I: Vad är problemet?\n"
                       "R: Jag ska säga det.\n"
                       "Problemet är: ingen vet vem som gör vad.\n"
                       "Men Göteborg: där är det värre.\n"
                       "I: Jaha.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.n, 3);
    assert_span(text, &t.turns.v[1],
                "Jag ska säga det.\nProblemet är: ingen vet vem som gör "
                "vad.\nMen Göteborg: där är det värre.");
    kbi_transcript_clear(&t);
}

static void test_dialogue_accepts_one_off_speakers(void **state)
{
    (void)state;
    /* A play: nearly every line is labelled and several speakers recur, so
     * "Kung Tid" and the group "ANNA och PER" count though each speaks once;
     * "[EVA]" names who is on stage. */
    const char *text = "== Första scenen. ==\n"
                       "[Ett rum.]\n"
                       "ANNA: God dag.\n"
                       "PER: God dag.\n"
                       "EVA: Hej.\n"
                       "Kung Tid: Tiden går.\n"
                       "[EVA]\n"
                       "ANNA och PER: Ja!\n"
                       "M:LLE Y: (skrattar).\n"
                       "EVA: Nå?\n"
                       "PER: Nej.\n"
                       "ANNA: Slut.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.n, 9);
    assert_string_equal(speaker(&t, &t.turns.v[3]), "Kung Tid");
    assert_string_equal(speaker(&t, &t.turns.v[4]), "ANNA och PER");
    assert_string_equal(speaker(&t, &t.turns.v[5]), "M:LLE Y");
    /* the heading and the note before the first turn are speakerless */
    assert_int_equal(t.paras.v[0].turn, KB_NO_INDEX);
    assert_int_equal(t.paras.v[1].turn, KB_NO_INDEX);
    kbi_transcript_clear(&t);
}

static void test_heading_ends_turn(void **state)
{
    (void)state;
    const char *text = "R: Ett.\n# Del 2\nFritt stycke.\nR: Två.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.n, 2);
    assert_span(text, &t.turns.v[0], "Ett.");
    assert_int_equal(t.paras.v[2].turn, KB_NO_INDEX);
    kbi_transcript_clear(&t);
}

static void test_user_regex_and_interviewers(void **state)
{
    (void)state;
    const char *text = "Anf. 1 Ministern EBBA BUSCH (KD): Fru talman! Svar.\n"
                       "Mer svar.\n"
                       "\n"
                       "Anf. 2 TOBIAS ANDERSSON (SD): Tack.\n";
    kbi_transcript t = parse_with(
        text,
        "Anf\\. \\d+ [^:]*?(?<name>\\p{Lu}[\\p{Lu} ]+\\p{Lu}) \\(\\w+\\):",
        "TOBIAS ANDERSSON");
    assert_int_equal(t.turns.n, 2);
    assert_string_equal(speaker(&t, &t.turns.v[0]), "EBBA BUSCH");
    assert_string_equal(speaker(&t, &t.turns.v[1]), "TOBIAS ANDERSSON");
    assert_int_equal(t.roles[0], KB_ROLE_RESPONDENT);
    assert_int_equal(t.roles[1], KB_ROLE_INTERVIEWER);
    assert_span(text, &t.turns.v[0], "Fru talman! Svar.\nMer svar.");
    kbi_transcript_clear(&t);

    kbi_parse_rules *r;
    kb_error err;
    assert_int_equal(kbi_parse_rules_new(&r, "Anf(\\d", NULL, &err),
                     KB_EFORMAT);
    assert_string_equal(err.argument, "speaker_regex");
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 7);
}

static void test_code_points(void **state)
{
    (void)state;
    const char *text = "R: Åsa – vårdcentral.\n";
    kbi_transcript t = parse(text);
    assert_int_equal(t.turns.v[0].c0, 3);
    assert_int_equal(t.turns.v[0].c1, 21);
    assert_int_equal(t.turns.v[0].b1 - t.turns.v[0].b0, 22);
    kbi_transcript_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_roles_timestamps),
        cmocka_unit_test(test_label_forms),
        cmocka_unit_test(test_bracket_labels),
        cmocka_unit_test(test_colon_in_running_text_is_not_a_speaker),
        cmocka_unit_test(test_dialogue_accepts_one_off_speakers),
        cmocka_unit_test(test_heading_ends_turn),
        cmocka_unit_test(test_user_regex_and_interviewers),
        cmocka_unit_test(test_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
