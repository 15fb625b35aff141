/*
 * segpack.h: a version's segments packed into one blob (version_segments).
 *
 * A long transcript has tens of thousands of turns, paragraphs and
 * sentences. Stored as rows they cost more to insert than the text itself;
 * packed, they are one value of a few bytes a segment, written and read
 * whole.
 *
 * Layout: the byte 'S', the format byte 2, then for each kind (turns,
 * paragraphs, sentences) its segment count and its section's byte length,
 * then the three sections. A section starts with its marks: for every
 * KBI_SEGPACK_MARK-th segment j (j > 0), four 32-bit little-endian numbers:
 * where segment j starts in the segments that follow the marks, the
 * code-point start and byte start of segment j - 1, and the largest byte
 * end of segments 0 .. j - 1. A re-run that
 * wants the segments at a few offsets starts reading at the mark before
 * each (kbi_segpack_seek) instead of at the first segment. Format 1, from
 * before schema 6, had no marks; it is still read, and the migration to
 * schema 6 packs it again. A segment is eight unsigned LEB128 varints:
 * speaker + 1, turn + 1, paragraph + 1 (0 for none), the code-point start
 * less the previous segment's start, the code-point length, the byte start
 * less the previous start, the byte length, and time_ms + 1 (0 for none).
 * Within a kind, segments are in text order, so the deltas are small.
 */
#ifndef KBI_SEGPACK_H
#define KBI_SEGPACK_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* One segment of a transcript, as stored: spans, speaker, time, and the
 * turn and paragraph that hold it. */
typedef struct kbi_tseg {
    size_t b0, b1; /* byte span in the text */
    size_t c0, c1; /* code-point span in the text */
    int speaker;   /* index into the document's speakers, -1 for none */
    int64_t time_ms;
    size_t turn; /* enclosing turn index or KB_NO_INDEX */
    size_t para; /* enclosing paragraph index (sentences) or KB_NO_INDEX */
} kbi_tseg;

typedef struct kbi_tseg_array {
    kbi_tseg *v;
    size_t n, cap;
} kbi_tseg_array;

/* Packs kinds[0..3) (turns, paragraphs, sentences) into a new blob. Returns
 * KB_ENOMEM, or KB_EINVAL if a kind is not in text order. */
int kbi_segpack_encode(unsigned char **out, size_t *len,
                       const kbi_tseg_array *const kinds[3], kb_error *err);

/* Segments from one mark to the next. */
#define KBI_SEGPACK_MARK 64

/* Reads the segments of one kind (0 turns, 1 paragraphs, 2 sentences). */
typedef struct kbi_segpack_iter {
    const unsigned char *p, *end;
    const unsigned char *data, *marks; /* the segments; their marks */
    size_t left, count, nmarks;
    kbi_tseg prev;
} kbi_segpack_iter;

/* Positions `it` on kind k of `blob`, and gives its segment count in *n.
 * Returns KB_EDB if the blob is not a segment pack. */
int kbi_segpack_open(kbi_segpack_iter *it, size_t *n, const unsigned char *blob,
                     size_t len, int k, kb_error *err);

/* Moves `it`, which reads segment `at` next, forward to the last mark at or
 * before the first segment ending after byte offset b, if that is ahead of
 * `at`. Returns the index of the segment `it` now reads next. */
size_t kbi_segpack_seek(kbi_segpack_iter *it, size_t at, size_t b);

/* The next segment: 1 and *out filled, 0 at the end, KB_EDB if the blob is
 * cut short. */
int kbi_segpack_next(kbi_segpack_iter *it, kbi_tseg *out, kb_error *err);

/* The pack `blob` in the current format, in a new blob *out; *out is NULL
 * when it is in the current format already. KB_EDB if it is damaged. */
int kbi_segpack_repack(unsigned char **out, size_t *len,
                       const unsigned char *blob, size_t blen, kb_error *err);

#endif
