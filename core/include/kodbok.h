/**
 * kodbok.h: the public API of libkodbok, a toolkit for coding qualitative
 * interviews (Gioia-style first-order concepts, second-order themes, facets).
 *
 * Conventions (see docs/api.md):
 * - Functions are kb_<noun>_<verb>. Objects are opaque; read-only records
 *   handed out in lists (kb_doc_info, kb_segment, kb_case_info) are plain
 *   structs whose pointers are borrowed from the object that holds them.
 * - A function that can fail returns int: 0, or a negative KB_E* code. Its
 *   last parameter is an optional caller-owned kb_error *, filled on failure
 *   with a one-line message and, where known, file, line and column.
 * - Out-params come first. kb_x_open/new/load(&out, ...) pairs with
 *   kb_x_free(x); freeing NULL is a no-op. A writer (kb_x_write) takes the
 *   stream it writes to first (`FILE *out`), then its out-params.
 * - Then the object acted on (kb_project *), the inputs, the options struct
 *   (NULL for the defaults; initialise with its _INIT macro), and `err`.
 * - Callbacks that report along the way (notices, progress, each file
 *   imported) are fields of the call's options struct, with the `ctx` they
 *   are passed. A callback that is the call's result, one call per item
 *   found (kb_project_search, kb_project_interviewers_pending), is a
 *   parameter, followed by its `ctx`, before `err`.
 * - Every position a user sees is a Unicode code point offset from the start
 *   of the document's text, end exclusive.
 * - The library never prints, exits or aborts on bad input; it reports
 *   notices through callbacks the caller provides.
 * - Messages (errors and notices) speak of this header's terms, never of a
 *   front end's: where one names an argument or a call of this header, it
 *   writes the name in backquotes (`nth`, `kb_project_tags`), and
 *   kb_error.argument names the argument a failure is about, so that a front
 *   end can put its own words (an option, a command) in their place.
 *
 * This header includes only standard headers.
 */
#ifndef KODBOK_H
#define KODBOK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KB_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/** Error codes. All are negative; 0 is success. */
enum kb_code {
    KB_OK = 0,
    KB_EINVAL = -1,    /**< invalid argument or option value */
    KB_ENOENT = -2,    /**< a named file, document or case does not exist */
    KB_EIO = -3,       /**< reading or writing a file failed */
    KB_EFORMAT = -4,   /**< the input is malformed (file:line:column given) */
    KB_ENOMEM = -5,    /**< out of memory */
    KB_EDB = -6,       /**< the project store failed */
    KB_EVERSION = -7,  /**< the project was written by a newer kodbok */
    KB_EEXIST = -8,    /**< the thing to create exists already */
    KB_ENOTPROJ = -9,  /**< the file is not a kodbok project */
    KB_ENORUN = -10,   /**< the project has not been coded: it has no run */
    KB_EBUSY = -11,    /**< another connection held the project's write lock
                            longer than the busy timeout (nothing written) */
    KB_EREADONLY = -12 /**< the project was opened read-only (its file or
                            folder cannot be written, or the disk is full)
                            and the call would change it */
};

/** Details of a failure, filled by the library without allocating. */
typedef struct kb_error {
    int code;          /**< the kb_code returned */
    int line;          /**< 1-based line in `file`, 0 if none */
    int column;        /**< 1-based column (code points), 0 if none */
    char file[512];    /**< the file concerned, "" if none */
    char message[512]; /**< one line, no trailing newline */
    /** The argument of the call the failure is about, named as in this
     * header ("nth", "coder", "attrs_path", "speaker_regex"), "" if none: a
     * front end names its own option for it. A failure inside the
     * argument's value (a regex) gives its line and column there, with no
     * `file`. */
    char argument[32];
} kb_error;

/** Returns a static description of a kb_code ("invalid argument", ...). */
const char *kb_strerror(int code);

/**
 * Formats an error as one line: "file:line:column: message" with the parts
 * that are known. Writes at most `size` bytes to `buf` (always terminated).
 * Returns `buf`.
 */
char *kb_error_format(const kb_error *err, char *buf, size_t size);

/** Callback for notices (not errors), e.g. "read as Windows-1252". */
typedef void (*kb_notice_fn)(void *ctx, const char *message);

/* ------------------------------------------------------------------------ */
/* Output files (docs/limits.md, "Output files")                             */
/* ------------------------------------------------------------------------ */

/**
 * A file being written the way every file kodbok writes is written: into
 * a new temporary file beside it ("PATH.PID-N.tmp", created exclusively,
 * so a file or a symbolic link planted at that name is never opened),
 * renamed over PATH only when all of it was written. An existing PATH is
 * followed through its symbolic links (the file a link names is replaced,
 * the link stays); an existing device or FIFO is written in place, never
 * replaced.
 */
typedef struct kb_output kb_output;

/**
 * Opens `path` for writing as kb_output says.
 * @param[out] out  the output; end it with kb_output_close
 * @param[out] f    the stream to write to (closed by kb_output_close)
 * @return 0, KB_EIO naming `path` (its folder cannot be written, it is a
 *         folder), KB_ENOMEM.
 */
int kb_output_open(kb_output **out, FILE **f, const char *path, kb_error *err);

/**
 * Ends an output and frees it. With `keep`, the stream is flushed and
 * closed and, when every write succeeded, the file replaces `path`;
 * without `keep` (or when that fails) the temporary file is removed and
 * `path` is left as it was. NULL is a no-op.
 * @return 0, or KB_EIO naming `path` (a write, the close or the rename
 *         failed: `path` is as it was).
 */
int kb_output_close(kb_output *o, int keep, kb_error *err);

/**
 * Removes the temporary files (and folders, with what is in them) the
 * library is writing at the moment of the call. Async-signal-safe (system
 * calls only): for a front end's SIGINT and SIGTERM handler, before it
 * ends the process.
 */
void kb_output_remove_temps(void);

/* ------------------------------------------------------------------------ */
/* Projects                                                                  */
/* ------------------------------------------------------------------------ */

/** An open project: one SQLite file holding documents, cases and codings. */
typedef struct kb_project kb_project;

/** The default project file name, used when no other is given. */
#define KB_PROJECT_DEFAULT "kodbok.db"

/**
 * Creates a new, empty project at `path`.
 * @param[out] out  the open project; free with kb_project_free
 * @return 0, KB_EEXIST if `path` exists, KB_EIO or KB_EDB.
 */
int kb_project_init(kb_project **out, const char *path, kb_error *err);

/**
 * Opens an existing project and brings its schema up to date (forward
 * migrations run in one transaction).
 *
 * A project this process cannot write (a read-only file, a folder it
 * cannot make the project's -wal and -shm files in, read-only media, or a
 * disk so full that the -shm file cannot be made) is opened read-only:
 * everything that reads works, and every call that would change the
 * project fails with KB_EREADONLY, changing nothing (kb_project_readonly
 * tells which). On read-only media the file is read as it is: commits left
 * in a -wal file beside it (by a writer killed before it closed) are not
 * seen.
 *
 * Durability: a commit survives the process being killed at any point; a
 * power cut or an operating-system crash may lose the last commits (never
 * the project's integrity) unless the environment variable KODBOK_SYNC is
 * "full" when the project is opened, which makes each commit wait until it
 * is on the disk. KODBOK_SYNC unset, empty or "normal" is the default;
 * any other value is KB_EINVAL.
 * @param[out] out  the open project; free with kb_project_free
 * @return 0, KB_ENOENT if there is no such file, KB_ENOTPROJ if it is not a
 *         kodbok project, KB_EVERSION if a newer kodbok wrote it,
 *         KB_EREADONLY if it needs a migration and cannot be written,
 *         KB_EINVAL, KB_EDB.
 */
int kb_project_open(kb_project **out, const char *path, kb_error *err);

/** 1 when `p` was opened read-only (see kb_project_open), else 0. */
int kb_project_readonly(const kb_project *p);

/** Closes a project. NULL is fine. */
void kb_project_free(kb_project *p);

/** The schema version this library writes. */
int kb_schema_version(void);

/**
 * Sets how long a write on `p` waits for another connection (another
 * process writing the same project) to release the project's write lock
 * before it fails with KB_EBUSY, nothing written. Reads never wait for a
 * writer. A project is opened with a timeout of 5000 ms; 0 fails at once.
 * @return 0, KB_EINVAL (a negative `ms`).
 */
int kb_project_busy_timeout(kb_project *p, int ms, kb_error *err);

/**
 * A number that changes whenever another connection (another process, or
 * another kb_project open on the same file) commits a change to the
 * project: a run, a manual coding, a memo, an import. A caller keeping one
 * kb_project open for this polls it and re-reads when it changes; changes
 * made through `p` itself do not change it.
 * @param[out] out  the data version
 * @return 0, KB_EBUSY, KB_EDB.
 */
int kb_project_data_version(int64_t *out, kb_project *p, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Import of transcripts                                                     */
/* ------------------------------------------------------------------------ */

typedef enum kb_role {
    KB_ROLE_NONE = 0,       /**< no speaker (text before the first turn) */
    KB_ROLE_RESPONDENT = 1, /**< a speaker not named as interviewer */
    KB_ROLE_INTERVIEWER = 2
} kb_role;

/** "none", "respondent", "interviewer". */
const char *kb_role_name(kb_role role);

/** What importing one file did. */
typedef enum kb_import_status {
    KB_IMPORT_NEW = 1,       /**< a new document, version 1 */
    KB_IMPORT_UNCHANGED = 2, /**< same text as the current version: no-op */
    KB_IMPORT_UPDATED = 3,   /**< a new version of an existing document */
    KB_IMPORT_REREAD = 4     /**< the same text read again into a new version
                                  (other rules, or asked for) */
} kb_import_status;

/** Why a speaker has its role. */
typedef enum kb_role_source {
    KB_ROLE_BY_LABEL = 0,  /**< its label, by the interviewer labels in use */
    KB_ROLE_BY_HEADER = 1, /**< the transcript's header names it interviewer */
    KB_ROLE_BY_CASE = 2    /**< the cases file names it interviewer */
} kb_role_source;

/** A speaker of an imported version. */
typedef struct kb_speaker_info {
    const char *label; /**< as written */
    kb_role role;
    kb_role_source source;
    size_t turns;
} kb_speaker_info;

/** One `Key: value` line of a transcript's header block. */
typedef struct kb_header_field {
    const char *key, *value;
} kb_header_field;

/** Where the encoding a file was read in came from. */
typedef enum kb_encoding_source {
    KB_ENCODING_DETECTED = 0, /**< told by its bytes */
    KB_ENCODING_GIVEN = 1,    /**< given with this import */
    KB_ENCODING_KEPT = 2      /**< the one its document was read with last */
} kb_encoding_source;

/** Report on one imported file; pointers are valid during the callback. */
typedef struct kb_import_report {
    const char *path;     /**< the file as given */
    const char *name;     /**< the document name */
    const char *encoding; /**< "utf-8", "utf-16le", "windows-1252", ... */
    kb_import_status status;
    int version;  /**< the document's current version after import */
    size_t chars; /**< code points in the stored text */
    size_t turns, paragraphs, sentences;
    size_t speakers; /**< distinct speaker labels */
    /** The `speakers` speakers, in the order of their first turns. */
    const kb_speaker_info *speaker_list;
    /** The header block (docs/transcripts.md), `nheader` lines. */
    const kb_header_field *header;
    size_t nheader;
    /** The rules the version was read with: the speaker pattern and the
     * interviewer labels, NULL for the built-in ones. */
    const char *speaker_rule, *interviewers;
    /** For a new version of an existing document: the version before it,
     * its turns and speakers and the speaker pattern it was read with
     * (NULL: the built-in labels); 0 and NULL for a new document or no new
     * version. */
    int prev_version;
    size_t prev_turns, prev_speakers;
    const char *prev_speaker_rule;
    /** Where `encoding` came from: detected from the bytes, given with
     * this import, or kept from the version before, which was read with
     * it. */
    kb_encoding_source encoding_source;
    /** The format the file was read as: "text", "docx", "odt", ... (the
     * names of kb_import_options.format). */
    const char *format;
} kb_import_report;

typedef void (*kb_import_fn)(void *ctx, const kb_import_report *report);

/** Options for kb_project_import. Initialise with KB_IMPORT_OPTIONS_INIT. */
typedef struct kb_import_options {
    unsigned version;       /**< KB_IMPORT_OPTIONS_VERSION */
    const char *name;       /**< document name; only with one file */
    const char *case_id;    /**< map every imported document to this case */
    const char *attrs_path; /**< cases CSV to load first, or NULL */
    /** PCRE2 replacing the built-in speaker labels; "" for the built-in
     * labels; NULL: as the document was read last (a new one: built-in) */
    const char *speaker_regex;
    /** comma-separated interviewer labels; "" for the built-in ones; NULL:
     * as the document was read last (a new one: built-in) */
    const char *interviewers;
    kb_notice_fn notice;  /**< notices, e.g. the encoding chosen */
    kb_import_fn on_file; /**< called once per file after it is stored */
    void *ctx;            /**< passed to the callbacks */
    /** since version 2: read every file into a new version even when its
     * text and rules are those of its current version */
    int reread;
    /** since version 3: the encoding to decode with instead of detecting
     * one, as iconv names it ("utf-8", "windows-1252", "iso-8859-1",
     * "utf-16le", "mac", ...); "" or "auto" to detect; NULL: as the
     * document was read last (a new one: detected). It applies to files
     * read as plain text; the other formats carry their own. */
    const char *encoding;
    /** since version 4: the format to read every file as, "text", "docx",
     * "odt", "vtt", "srt" or "html", instead of the one its content shows;
     * NULL, "" or "auto":
     * by content, for each file and each import anew */
    const char *format;
} kb_import_options;

#define KB_IMPORT_OPTIONS_VERSION 4
#define KB_IMPORT_OPTIONS_INIT                                                 \
    {                                                                          \
        KB_IMPORT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL,   \
            NULL, 0, NULL, NULL                                                \
    }

/**
 * Imports transcripts: plain text, Word documents (DOCX), OpenDocument
 * texts (ODT), WebVTT and SRT subtitles and HTML pages, each read as the
 * format its content shows, or as
 * `format` (docs/transcripts.md, "Formats"). All files (and the cases CSV, if
 * given) are read, checked and stored in one transaction: if any file is bad,
 * nothing is stored and `err` names that file.
 * Each version keeps the rules it was read with (speaker pattern,
 * interviewer labels, the encoding when one was given), and the next import
 * of its document uses them unless others are given. A file whose text
 * equals its document's current version is a no-op, unless it would now be
 * read otherwise (other rules or encoding given, another format, another
 * interviewer named by the cases, or `reread`): then it becomes a new version
 * with the same text (KB_IMPORT_REREAD). A changed file under an existing name
 * becomes a new version. Manual codings follow a document to its new version.
 * Options of versions 2 and 3 (without `encoding`, `format`) are read as
 * well.
 * @return 0, KB_ENOENT (missing file or case), KB_EFORMAT (not text, empty,
 *         malformed CSV, bytes not valid in the encoding given, a PDF,
 *         RTF or Word 97-2003 file, a document package that is malformed
 *         or unsafe (entries outside it, zip bombs, declared XML
 *         entities); a bad
 *         speaker_regex, about the argument "speaker_regex" at line 1 and
 *         its column in the pattern), KB_EIO, KB_EINVAL (an encoding iconv
 *         does not know, an unknown `format`, a name for more than one file,
 *         a name given or made from a file name that breaks the rule of
 *         kb_document_name_check, about the argument "name", with the file
 *         for a made one, ...), KB_EDB.
 */
int kb_project_import(kb_project *p, const char *const *paths, size_t npaths,
                      const kb_import_options *opts, kb_error *err);

/** Options for kb_project_load_cases. Initialise with KB_CASES_OPTIONS_INIT. */
typedef struct kb_cases_options {
    unsigned version;    /**< KB_CASES_OPTIONS_VERSION */
    kb_notice_fn notice; /**< notices, e.g. the encoding the file was read in */
    void *ctx;           /**< passed to `notice` */
} kb_cases_options;

#define KB_CASES_OPTIONS_VERSION 1
#define KB_CASES_OPTIONS_INIT                                                  \
    {                                                                          \
        KB_CASES_OPTIONS_VERSION, NULL, NULL                                   \
    }

/**
 * Loads a cases CSV (header `case,...`; optional columns `document` and
 * `speaker` map a case to a document or to a speaker in it; every other
 * column is an attribute). Cases are added or their attributes replaced,
 * then segments are mapped to cases again. One transaction.
 * @param opts  NULL for the defaults (no notices)
 * @return 0, KB_ENOENT, KB_EFORMAT (with line and column), KB_EIO, KB_EDB,
 *         KB_EINVAL (options of an unknown version).
 */
int kb_project_load_cases(kb_project *p, const char *csv_path,
                          const kb_cases_options *opts, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Documents and segments                                                    */
/* ------------------------------------------------------------------------ */

/** One document version as listed. Strings are borrowed from the list. */
typedef struct kb_doc_info {
    const char *name;
    int version;             /**< 1, 2, ... */
    int changed;             /**< 1 if this version replaced an older one */
    const char *case_id;     /**< the document's case, or NULL */
    const char *source_path; /**< the file it was imported from */
    const char *encoding;    /**< encoding the file was read in */
    const char *hash;        /**< SHA-256 of the stored text, hex */
    const char *imported_at; /**< UTC, ISO 8601 */
    size_t chars;            /**< code points in the text */
    size_t turns, paragraphs, sentences;
    /** The rules it was read with: the speaker pattern and the interviewer
     * labels, NULL for the built-in ones. */
    const char *speaker_rule, *interviewers;
    /** Its header block (docs/transcripts.md), `nheader` lines. */
    const kb_header_field *header;
    size_t nheader;
    /** 1 when `encoding` was given to the import rather than detected; the
     * document's next imports decode with it unless given another */
    int encoding_given;
    /** The format the file was read as: "text", "docx", "odt", ... */
    const char *format;
} kb_doc_info;

typedef struct kb_doc_list kb_doc_list;

/** Lists the current version of every document, by name. */
int kb_project_docs(kb_doc_list **out, kb_project *p, kb_error *err);
size_t kb_doc_list_count(const kb_doc_list *list);
/** Borrowed; valid until kb_doc_list_free. */
const kb_doc_info *kb_doc_list_get(const kb_doc_list *list, size_t i);
void kb_doc_list_free(kb_doc_list *list);

/**
 * Writes `digits` random hex digits and a NUL to `out` (digits + 1 bytes),
 * from the system's random numbers: for tokens a server hands out.
 * @return 0, KB_EINVAL (an odd number, or more than 256 digits), KB_EIO
 * (the system gave none).
 */
int kb_random_hex(char *out, size_t digits, kb_error *err);

/** What kb_project_names lists. */
typedef enum kb_name_kind {
    KB_NAMES_DOCUMENTS = 1, /**< the documents' names */
    KB_NAMES_CASES,         /**< the cases' ids */
    KB_NAMES_CODES,  /**< the latest run's dimension, theme and concept ids */
    KB_NAMES_CODERS, /**< the coders of manual codings and of tokens */
} kb_name_kind;

/** One name; a non-zero return stops the listing. */
typedef int (*kb_name_fn)(void *ctx, const char *name);

/**
 * Calls `fn` once for every name of `kind` the project holds, sorted and
 * each once, without reading documents or codings: what a shell's
 * completion offers. Read-only.
 * @return 0, fn's non-zero return, KB_EINVAL (an unknown kind), KB_EDB.
 */
int kb_project_names(kb_project *p, kb_name_kind kind, kb_name_fn fn, void *ctx,
                     kb_error *err);

/** What kb_document_remove took away. */
typedef struct kb_doc_removal {
    int versions;  /**< versions removed, with their texts and segments */
    size_t manual; /**< manual codings removed (tags, review decisions) */
    size_t saved;  /**< of them written to the tags file first */
    size_t aside;  /**< of them kept aside (placed on no current text), which
                        a tags file cannot hold */
} kb_doc_removal;

/**
 * Removes a document with all its versions (texts, segments, speakers,
 * header blocks), its automatic codings in every run, and its manual
 * codings, in one transaction. Its cases stay. When the document has manual
 * codings (tags or review decisions) it is removed only if `tags_path` is
 * given: its placed manual codings are first written there as a tags file
 * (kb_tags_write), which must not exist yet, and the file is deleted again
 * if the removal fails.
 * @param[out] out  filled on success (may be NULL)
 * @return 0, KB_ENOENT (no such document), KB_EEXIST (manual codings and no
 *         `tags_path`, or `tags_path` exists), KB_EIO, KB_EDB.
 */
int kb_document_remove(kb_project *p, const char *name, const char *tags_path,
                       kb_doc_removal *out, kb_error *err);

/** The most code points a document name may have. */
#define KB_DOCUMENT_NAME_MAX 200

/**
 * Checks a document name against the rule every name that enters a
 * project is held to (docs/transcripts.md, "Document names"): valid UTF-8,
 * not empty, not only white space, no white space at either end, no control
 * character (C0, DEL, C1: tabs and line breaks included) nor line or
 * paragraph separator, at most KB_DOCUMENT_NAME_MAX code points.
 * @return 0, or KB_EINVAL with a message naming the character that breaks
 *         the rule (as U+XXXX) and its position in code points.
 */
int kb_document_name_check(const char *name, kb_error *err);

/**
 * A copy of `s` to show, with every control character (C0, DEL, C1) and
 * every byte that is not valid UTF-8 written as \xHH ("x\x1b[31m"): how a
 * name stored before names were checked is shown. The caller frees it;
 * NULL when out of memory.
 */
char *kb_text_escape(const char *s);

/**
 * Renames a document: its versions, automatic codings in every run, manual
 * codings, the memos on it and the cases that name it follow, in one
 * transaction. `new_name` must pass kb_document_name_check and be no other
 * document's name; `old_name` is taken as stored, so that a name stored
 * before names were checked can be put right.
 * @return 0, KB_ENOENT (no document `old_name`), KB_EINVAL (`new_name`
 *         breaks the rule, about the argument "new_name"), KB_EEXIST
 *         (another document has that name), KB_EDB, KB_EBUSY.
 */
int kb_document_rename(kb_project *p, const char *old_name,
                       const char *new_name, kb_error *err);

typedef enum kb_segment_kind {
    KB_SEG_TURN = 1,
    KB_SEG_PARAGRAPH = 2,
    KB_SEG_SENTENCE = 3
} kb_segment_kind;

/** "turn", "paragraph", "sentence"; NULL for an unknown kind. */
const char *kb_segment_kind_name(kb_segment_kind kind);
/** Parses a kind name; returns 0 (not a kind) for anything else. */
kb_segment_kind kb_segment_kind_parse(const char *name);

#define KB_NO_TIME  (-1)
#define KB_NO_INDEX ((size_t)-1)

/** A segment of a document. Pointers are borrowed from the document. */
typedef struct kb_segment {
    kb_segment_kind kind;
    size_t index;        /**< 0-based among segments of its kind */
    size_t start, end;   /**< code points, end exclusive */
    const char *text;    /**< the segment's text (UTF-8, not terminated) */
    size_t text_len;     /**< bytes */
    const char *speaker; /**< label as written ("R", "Respondent 2"), or NULL */
    kb_role role;
    const char *case_id; /**< case of the speaker, or NULL */
    int64_t time_ms;     /**< last timestamp at or before start, KB_NO_TIME */
    size_t turn;         /**< index of the enclosing turn, KB_NO_INDEX */
    size_t paragraph;    /**< index of the enclosing paragraph (sentences) */
} kb_segment;

typedef struct kb_document kb_document;

/**
 * Loads a document with its text and segments.
 * @param version  0 for the current version, else that version
 * @return 0, KB_ENOENT if there is no such document or version, KB_EDB.
 */
int kb_document_load(kb_document **out, kb_project *p, const char *name,
                     int version, kb_error *err);
/** Borrowed; valid until kb_document_free. */
const kb_doc_info *kb_document_info(const kb_document *doc);
/** The stored text (NFC UTF-8, LF line ends), NUL-terminated; borrowed. */
const char *kb_document_text(const kb_document *doc, size_t *len);
size_t kb_document_segment_count(const kb_document *doc, kb_segment_kind kind);
/** Borrowed; valid until kb_document_free. NULL if out of range. */
const kb_segment *kb_document_segment(const kb_document *doc,
                                      kb_segment_kind kind, size_t i);
void kb_document_free(kb_document *doc);

/* ------------------------------------------------------------------------ */
/* Cases                                                                     */
/* ------------------------------------------------------------------------ */

/** One case with its attributes. Borrowed from the list. */
typedef struct kb_case_info {
    const char *id;
    const char *document; /**< mapped document name, or NULL */
    const char *speaker;  /**< mapped speaker label, or NULL */
    /** the interviewer's label in its document (comma-separated labels
     * for more than one), or NULL */
    const char *interviewer;
    size_t nattrs;
    const char *const *attr_names;  /**< nattrs names, in CSV column order */
    const char *const *attr_values; /**< nattrs values */
    size_t segments;                /**< turns currently mapped to it */
} kb_case_info;

typedef struct kb_case_list kb_case_list;

/** Lists all cases, by id. */
int kb_project_cases(kb_case_list **out, kb_project *p, kb_error *err);
size_t kb_case_list_count(const kb_case_list *list);
const kb_case_info *kb_case_list_get(const kb_case_list *list, size_t i);
void kb_case_list_free(kb_case_list *list);

/** A document whose current version gives another role to speakers the
 * cases name its interviewers; it takes them when imported again. */
typedef struct kb_interviewer_pending {
    const char *document;
    int version;             /**< its current version */
    const char *source_path; /**< the file that version was imported from */
    /** the speakers' labels as the version has them, comma-separated */
    const char *speakers;
    size_t nspeakers;
} kb_interviewer_pending;

typedef void (*kb_interviewer_pending_fn)(void *ctx,
                                          const kb_interviewer_pending *p);

/**
 * Calls `fn` once for every document, by name, whose current version has
 * a speaker that the `interviewer` column of the document's case names
 * (labels compared without regard to ASCII case) with a role other than
 * interviewer: loading cases changes no stored version, so such a document
 * was read before the cases named its interviewer. Read-only.
 * @return 0, KB_ENOMEM, KB_EDB.
 */
int kb_project_interviewers_pending(kb_project *p, kb_interviewer_pending_fn fn,
                                    void *ctx, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Codebooks                                                                 */
/* ------------------------------------------------------------------------ */

/** A codebook loaded from its YAML file (docs/codebook.md). */
typedef struct kb_codebook kb_codebook;

/** The kinds of node in a codebook, in the Gioia tiers plus facets. */
typedef enum kb_code_kind {
    KB_CODE_DIMENSION = 1, /**< aggregate dimension */
    KB_CODE_THEME = 2,     /**< second-order theme */
    KB_CODE_CONCEPT = 3,   /**< first-order concept */
    KB_CODE_FACET = 4,     /**< another axis, e.g. level */
    KB_CODE_VALUE = 5      /**< a value of a facet */
} kb_code_kind;

/** Whose words a concept codes. */
typedef enum kb_speakers {
    KB_SPEAKERS_RESPONDENTS = 1,
    KB_SPEAKERS_INTERVIEWERS = 2,
    KB_SPEAKERS_ALL = 3
} kb_speakers;

/** "dimension", "theme", "concept", "facet", "value". */
const char *kb_code_kind_name(kb_code_kind kind);

/** One node of a codebook. Strings are borrowed from the codebook. */
typedef struct kb_code_info {
    kb_code_kind kind;
    const char *id;
    const char *label;         /**< the id when the codebook gives none */
    const char *description;   /**< or NULL */
    const char *was;           /**< a former id (renames), or NULL */
    size_t parent;             /**< index of the parent node, or KB_NO_INDEX */
    size_t npatterns;          /**< concepts and facet values */
    size_t nexcludes;          /**< concepts */
    kb_segment_kind scope;     /**< concepts: the segment a quote is */
    kb_speakers speakers;      /**< concepts */
    int caseless;              /**< concepts and facet values */
    const char *attribute;     /**< facets: the case attribute, or NULL */
    const char *default_value; /**< facets: the default value id, or NULL */
    const char *rules_hash;    /**< concepts and values: SHA-256 of the rules */
    int line;                  /**< line of the node in the file */
} kb_code_info;

/**
 * Loads and validates a codebook. Every pattern is compiled. The first
 * error found is returned with file:line:column: YAML syntax, unknown keys
 * (naming the nearest valid one), duplicate or missing ids, a theme without
 * concepts, an invalid regex (PCRE2's message at the pattern's column), a
 * pattern that can match the empty string.
 * @return 0, KB_ENOENT, KB_EIO, KB_EFORMAT.
 */
int kb_codebook_load(kb_codebook **out, const char *path, kb_error *err);
void kb_codebook_free(kb_codebook *cb);

const char *kb_codebook_name(const kb_codebook *cb);
/** SHA-256 of the file's bytes, hex. */
const char *kb_codebook_hash(const kb_codebook *cb);
/** Nodes in file order: each dimension before its themes, each theme
 * before its concepts, then facets each before its values. */
size_t kb_codebook_count(const kb_codebook *cb);
const kb_code_info *kb_codebook_get(const kb_codebook *cb, size_t i);
/** Index of the node with this id and kind, or KB_NO_INDEX. */
size_t kb_codebook_find(const kb_codebook *cb, kb_code_kind kind,
                        const char *id);
/** A pattern of a concept or facet value, as written. */
const char *kb_codebook_pattern(const kb_codebook *cb, size_t node, size_t i);
/**
 * Writes a codebook YAML from a spreadsheet CSV (columns theme, concept and
 * optionally dimension, description, patterns and exclude with one regex
 * per line in the cell, scope, speakers, id; blank dimension and theme
 * cells repeat the row above). Every pattern is checked and the result is
 * loaded before it replaces `yaml_path`, so a bad sheet changes nothing.
 * @return 0, KB_ENOENT, KB_EFORMAT (file:line), KB_EIO.
 */
int kb_codebook_from_csv(const char *csv_path, const char *yaml_path,
                         const char *name, kb_error *err);

/** Options for kb_codebook_from_qdc. Initialise with
 * KB_QDC_IMPORT_OPTIONS_INIT. */
typedef struct kb_qdc_import_options {
    unsigned version;    /**< KB_QDC_IMPORT_OPTIONS_VERSION */
    const char *name;    /**< the codebook's name when the file does not
                              name it (a kodbok block); NULL: its path */
    kb_notice_fn notice; /**< what was read leniently: schema problems,
                              namespace variants, the tree reshaped */
    void *ctx;           /**< passed to `notice` */
} kb_qdc_import_options;

#define KB_QDC_IMPORT_OPTIONS_VERSION 1
#define KB_QDC_IMPORT_OPTIONS_INIT                                             \
    {                                                                          \
        KB_QDC_IMPORT_OPTIONS_VERSION, NULL, NULL, NULL                        \
    }

/**
 * Writes a codebook YAML from a REFI-QDA codebook (`.qdc`, the XML that
 * NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette exchange). The code tree
 * becomes the tiers: a code's `kodbok:` block (what kodbok writes) gives
 * back its kind, id and rules; otherwise a top-level code with
 * grandchildren is a dimension, a code with children a theme, a leaf a
 * concept (without patterns: for manual coding until some are added).
 * Names become labels and ids (made unique), descriptions are kept.
 * The result is loaded as a codebook before it replaces `yaml_path`.
 * Documented in docs/refi-qda.md.
 * @return 0, KB_ENOENT, KB_EIO, KB_EFORMAT (not XML, not a codebook, no
 *         codes; XML that declares entities), KB_EINVAL (options).
 */
int kb_codebook_from_qdc(const char *qdc_path, const char *yaml_path,
                         const kb_qdc_import_options *opts, kb_error *err);

/** How a REFI-QDA project counts the positions of its selections. */
typedef enum kb_refi_unit {
    KB_REFI_UNIT_AUTO = 0, /**< by the file's `origin` (docs/refi-qda.md) */
    KB_REFI_UNIT_CODEPOINTS = 1, /**< Unicode code points (the standard) */
    KB_REFI_UNIT_UTF16 = 2,      /**< UTF-16 code units (NVivo, Qt tools) */
    KB_REFI_UNIT_BYTES = 3       /**< UTF-8 bytes (Taguette) */
} kb_refi_unit;

/** How a REFI-QDA project counts a CRLF line end in its sources. */
typedef enum kb_refi_crlf {
    KB_REFI_CRLF_AUTO = 0, /**< by the file's `origin` */
    KB_REFI_CRLF_TWO = 1,  /**< as the two characters it is */
    KB_REFI_CRLF_ONE = 2   /**< as one (ATLAS.ti; MAXQDA adds the CR) */
} kb_refi_crlf;

/** Options for kb_project_import_qdpx. Initialise with
 * KB_QDPX_IMPORT_OPTIONS_INIT. */
typedef struct kb_qdpx_import_options {
    unsigned version; /**< KB_QDPX_IMPORT_OPTIONS_VERSION */
    /** where the project's codebook is written as YAML; NULL: not written */
    const char *codebook_path;
    kb_refi_unit unit; /**< the unit of positions; AUTO: by origin */
    kb_refi_crlf crlf; /**< how CRLF is counted; AUTO: by origin */
    /** what was read leniently or left out: schema problems, selections
     * outside their source, sources without text, unknown users */
    kb_notice_fn notice;
    void *ctx; /**< passed to `notice` */
} kb_qdpx_import_options;

#define KB_QDPX_IMPORT_OPTIONS_VERSION 1
#define KB_QDPX_IMPORT_OPTIONS_INIT                                            \
    {                                                                          \
        KB_QDPX_IMPORT_OPTIONS_VERSION, NULL, KB_REFI_UNIT_AUTO,               \
            KB_REFI_CRLF_AUTO, NULL, NULL                                      \
    }

/** What kb_project_import_qdpx read and stored. */
typedef struct kb_qdpx_report {
    char origin[128];       /**< the tool that wrote it, "" if unnamed */
    kb_refi_unit unit;      /**< the unit its positions were read in */
    kb_refi_crlf crlf;      /**< how its CRLF were counted */
    size_t codes;           /**< codes read into the codebook */
    size_t sources;         /**< documents stored (new or changed) */
    size_t unchanged;       /**< sources whose document was the same text */
    size_t sources_left;    /**< sources left out (no text kodbok reads) */
    size_t cases;           /**< cases stored */
    size_t codings;         /**< manual codings stored */
    size_t duplicates;      /**< selections already stored, kept once */
    size_t codings_left;    /**< selections left out (outside their source,
                                 splitting a character, unknown code) */
    size_t rule_codings;    /**< codings of kodbok's rules user, left to runs */
    size_t memos;           /**< codings stored with a memo from notes */
    size_t coders;          /**< coders of the codings stored */
    size_t memo_notes;      /**< notes stored as memos on the project, a
                                 document, a case or a code (new ones) */
    size_t memo_notes_left; /**< notes on what the project does not have,
                                 empty ones, and conflicts: told, left out */
} kb_qdpx_report;

/**
 * Imports a REFI-QDA project (`.qdpx`: a zip package holding one `.qde`,
 * of any name, and its sources) into `p`, in one transaction: the text
 * sources as documents (read and parsed as transcripts), cases with their
 * variables as case attributes, and every coding of a text selection as a
 * manual coding by the user named in the file, with the selection's notes
 * as its memo; the other notes become memos on what refers to them (the
 * project, a source's document, a code) or what their `kodbok:` block
 * names (a case), else on the project. Positions are converted from the file's
 * unit to code points on the stored text (LF line ends, NFC); a selection
 * outside its source or splitting a character is left out and told. The
 * codebook is written to `codebook_path` (kb_codebook_from_qdc's rules) once
 * the import is committed. Read leniently (namespace variants, either
 * `sources/` or `Sources/`, GUIDs in any case and with braces, a byte order
 * mark, CRLF); what did not validate is told through `notice`. A hostile
 * package (entries climbing out, a zip bomb, XML declaring entities) is
 * refused.
 * @param[out] out  what was stored (may be NULL)
 * @return 0, KB_ENOENT, KB_EIO, KB_EFORMAT (not a REFI-QDA project, no or
 *         several `.qde`, malformed XML, a refused package), KB_EINVAL,
 *         KB_EDB. Nothing is stored on failure.
 */
int kb_project_import_qdpx(kb_qdpx_report *out, kb_project *p,
                           const char *qdpx_path,
                           const kb_qdpx_import_options *opts, kb_error *err);

/** 1 if the file is a REFI-QDA project package (a zip holding exactly one
 * `.qde`), else 0. Reads the zip's directory only. 0 for what is not a
 * regular file (a pipe, a FIFO), which is not read to tell: it may be read
 * once only, or wait for a writer. */
int kb_file_is_qdpx(const char *path);

/** 1 if the file is a REFI-QDA codebook: XML (after any byte order mark,
 * declaration, comments and document type) whose root element is a
 * `CodeBook` in any namespace, else 0. Reads the file's first 4 KB; 0 for
 * what is not a regular file, as kb_file_is_qdpx. */
int kb_file_is_qdc(const char *path);

/** Warnings found while loading (slow patterns, concepts without
 * patterns), with file, line and column; borrowed. */
size_t kb_codebook_warning_count(const kb_codebook *cb);
const kb_error *kb_codebook_warning(const kb_codebook *cb, size_t i);

/* ------------------------------------------------------------------------ */
/* Coding runs                                                               */
/* ------------------------------------------------------------------------ */

/** Options for kb_project_code. Initialise with KB_CODE_OPTIONS_INIT. */
typedef struct kb_code_options {
    unsigned version; /**< KB_CODE_OPTIONS_VERSION */
    int dry_run;      /**< match and count, then store nothing */
    /** A pattern hitting the match limit, or a concept with patterns that
     * matches nothing in any document, is an error: nothing is stored. */
    int strict;
    kb_notice_fn notice; /**< limit hits and other notices */
    /** Called after each document: done of total documents to match. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *ctx;
    int jobs; /**< threads matching documents, 1 to KB_MAX_JOBS */
} kb_code_options;

#define KB_MAX_JOBS             64
#define KB_CODE_OPTIONS_VERSION 1
#define KB_CODE_OPTIONS_INIT                                                   \
    {                                                                          \
        KB_CODE_OPTIONS_VERSION, 0, 0, NULL, NULL, NULL, 1                     \
    }

/** What a run did. */
typedef struct kb_run_summary {
    int64_t run;             /**< the run's id (0 for a dry run) */
    size_t documents;        /**< documents matched (some concepts or all) */
    size_t concepts_matched; /**< concepts whose rules changed or are new */
    size_t gained, lost;     /**< the rules' quotes added and removed, as
                                  kb_project_diff counts them: not moved
                                  ones, and not lost ones kept */
    size_t quotes;           /**< the rules' quotes alive after the run
                                  (automatic codings, before review) */
    size_t limit_hits;       /**< pattern × segment pairs over the limit */
    size_t bytes;            /**< text matched, for MB/s */
    double seconds;          /**< the run's time until its codings are in
                                  the project file itself (the WAL
                                  checkpointed); the run list's time
                                  (kb_run_info) ends where it was stored */
    size_t moved; /**< quotes on a new version of their document, unchanged */
    size_t kept;  /**< quotes the rules lost that a coder had accepted */
    /** Of `documents`, those matched with every concept because the
     * previous run had no version of them (new) or an older one (changed). */
    size_t documents_new, documents_changed;
    /** Their names, ", "-separated in name order, cut with "..." to fit. */
    char new_names[256], changed_names[256];
    size_t concepts_new; /**< of `concepts_matched`, those new to the run */
    /** Concepts with patterns that match nothing in any current document
     * (each named by a notice), counting every alive coding, not only
     * what this run matched. */
    size_t unmatched;
    /** Documents where some concept can find nothing because they have no
     * turns of the speakers it is limited to (named by notices). */
    size_t role_gaps;
} kb_run_summary;

/**
 * Codes the project with a codebook, incrementally: only concepts whose
 * rules changed since the last run, and documents added or changed since,
 * are matched again; everything else is carried over. It matches in a
 * read transaction, so that others can write to the project meanwhile (tag,
 * review, import), then stores the run in one write transaction, whole or
 * not at all: what was written meanwhile is there for it (a manual coding
 * of a renamed concept moves with it, a document imported meanwhile is
 * matched then), and when another run was stored meanwhile, or the cases
 * changed, it matches again in that transaction (a notice says so).
 * The run stores the codebook as it was loaded: the bytes kb_codebook_load
 * read and hashed (not the file as it is now) and the path it was loaded
 * from. After matching, a notice names each concept with patterns that
 * matches nothing in any current document, and the documents without turns
 * of the speakers some concept is limited to.
 * @param[out] out  what the run did, filled on success (may be NULL)
 * @return 0, KB_EFORMAT (with strict, and only then: a limit hit, or a
 *         concept matching nothing; nothing is stored), KB_EINVAL (options
 *         of an unknown version), KB_EREADONLY, KB_EBUSY, KB_EDB, KB_ENOMEM.
 */
int kb_project_code(kb_run_summary *out, kb_project *p, const kb_codebook *cb,
                    const kb_code_options *opts, kb_error *err);

/** One run as listed. Strings are borrowed from the list. */
typedef struct kb_run_info {
    int64_t id;
    const char *started_at;
    const char *codebook_path;
    const char *codebook_name;
    const char *codebook_hash;
    size_t documents, concepts_matched, gained, lost, quotes;
    double seconds;
    /** Of `documents`, those matched in full because the run before had
     * no version of them (new) or an older one (changed). */
    size_t documents_new, documents_changed;
} kb_run_info;

typedef struct kb_run_list kb_run_list;
int kb_project_runs(kb_run_list **out, kb_project *p, kb_error *err);
size_t kb_run_list_count(const kb_run_list *l);
const kb_run_info *kb_run_list_get(const kb_run_list *l, size_t i);
void kb_run_list_free(kb_run_list *l);

/** How a quote of the rules changed between two runs. */
typedef enum kb_change {
    KB_GAINED = 1, /**< found by the rules at the later run only */
    KB_LOST = 2,   /**< found at the earlier run only */
    KB_MOVED = 3,  /**< the same quote (document, concept, text) on another
                        version of its document: not a gain or a loss */
    KB_KEPT = 4    /**< no longer found by the rules, kept because a coder
                        accepted it in review (`kept_by`) */
} kb_change;

/** One quote gained, lost, moved or kept between two runs. Borrowed from
 * the diff. */
typedef struct kb_diff_item {
    kb_change change;
    const char *concept, *concept_label;
    const char *theme; /**< the concept's theme id */
    const char *theme_label;
    const char *document;
    size_t start, end;   /**< the quote's code points in its version */
    int version;         /**< the document version */
    const char *text;    /**< the quote */
    const char *facets;  /**< "level=lokal" pairs, ';'-separated, or "" */
    const char *kept_by; /**< KB_KEPT: the coders who accepted it */
    int from_version;    /**< KB_MOVED: the version it was on, */
    size_t from_start, from_end; /**< and its span there */
} kb_diff_item;

typedef struct kb_diff kb_diff;
/**
 * The quotes of the rules gained and lost from run `a` to run `b`, ordered
 * by theme, concept, document and position. 0 for both: the last two runs.
 * A quote lost on one version of a document and gained on another with the
 * same concept and text is one item, KB_MOVED (a re-import moved it); a
 * lost quote a coder accepted in review is KB_KEPT. Gains and losses are
 * the rest (docs/codebook.md, "Runs and re-runs").
 * @return 0, KB_ENORUN (no runs yet), KB_ENOENT (no such run, or fewer than
 *         two runs), KB_EDB.
 */
int kb_project_diff(kb_diff **out, kb_project *p, int64_t a, int64_t b,
                    kb_error *err);
size_t kb_diff_count(const kb_diff *d);
const kb_diff_item *kb_diff_get(const kb_diff *d, size_t i);
/** The runs compared. */
void kb_diff_runs(const kb_diff *d, int64_t *a, int64_t *b);
void kb_diff_free(kb_diff *d);

/** Quotes alive at a run counted by one axis. */
typedef struct kb_count {
    const char *key; /**< dimension, theme or concept id, or facet value id */
    const char *label;
    size_t quotes;
} kb_count;
typedef struct kb_count_list kb_count_list;
/**
 * Counts the quotes of run `run` (0: the last) by `axis`: "dimension",
 * "theme", "concept", or a facet id such as "level". A quote is counted as
 * kb_project_quotes lists it, once however many codings found it: the
 * rules' quotes less rejected ones, and the coders' tags and acceptances.
 * A theme's count holds its concepts' quotes and the quotes tagged with the
 * whole theme (a dimension's likewise); a quote with two facet values
 * counts under both.
 * @return 0, KB_ENORUN (no runs yet), KB_ENOENT (no such run), KB_EINVAL
 *         (an unknown axis), KB_EDB, KB_ENOMEM.
 */
int kb_project_count(kb_count_list **out, kb_project *p, int64_t run,
                     const char *axis, kb_error *err);
size_t kb_count_list_count(const kb_count_list *l);
const kb_count *kb_count_list_get(const kb_count_list *l, size_t i);
void kb_count_list_free(kb_count_list *l);

/* ------------------------------------------------------------------------ */
/* Agreement and evaluation                                                  */
/* ------------------------------------------------------------------------ */

/*
 * Reliability data (docs/agreement.md): a table of `units` rows by `coders`
 * columns, row-major (the value coder c gave unit u is values[u * coders +
 * c]). A value is a nominal category, any int >= 0, or KB_MISSING where the
 * coder did not rate the unit. A figure that its definition leaves undefined
 * (0/0) is NAN; the CLI prints it as "n/a" and as JSON null.
 */

/** A cell of reliability data that the coder did not rate. */
#define KB_MISSING (-1)

/** Agreement over reliability data. */
typedef struct kb_agreement {
    size_t units;      /**< rows added, pairable or not */
    size_t coders;     /**< columns */
    size_t pairable;   /**< units with two values or more (for two coders:
                            the units both rated, those kappa uses) */
    size_t values;     /**< n: the values in pairable units */
    size_t categories; /**< distinct categories among those values */
    double observed;   /**< P_o: the share of pairable values that agree with
                            their partners, each unit's pairs weighted
                            1/(m_u - 1); for two coders the share of units
                            they agree on */
    double expected;   /**< P_e: agreement expected by chance when values
                            are drawn from all n without replacement */
    double alpha;      /**< Krippendorff's alpha (nominal), (P_o - P_e) /
                            (1 - P_e) */
    double kappa_expected; /**< two coders: the sum over categories of the
                                products of their two shares; else NAN */
    double kappa;          /**< Cohen's kappa; NAN unless exactly two coders */
} kb_agreement;

/** Reliability data summed over one or more tables with the same coders
 * (one table per code; their sum gives the pooled figure across codes). */
typedef struct kb_reliability kb_reliability;

/**
 * Starts empty reliability data for `coders` coders.
 * @param[out] out  free with kb_reliability_free
 * @return 0, KB_EINVAL (no coders), KB_ENOMEM.
 */
int kb_reliability_new(kb_reliability **out, size_t coders, kb_error *err);

/**
 * Adds a table of `units` rows (see above); `values` may be NULL when
 * `units` is 0. The table is checked first: on any error nothing is added.
 * @return 0, KB_EINVAL (a value below KB_MISSING, naming its 0-based unit
 *         and coder; a table too large to index), KB_ENOMEM.
 */
int kb_reliability_add(kb_reliability *r, const int *values, size_t units,
                       kb_error *err);

/** Computes the figures of everything added so far into `out`. */
void kb_reliability_agreement(kb_agreement *out, const kb_reliability *r);

/**
 * Specific agreement on one category: of the pairable values in
 * `category`, the share whose partners in their unit are in it too (o_cc /
 * n_c of the coincidence matrix; for two coders and a present/absent code,
 * 2a / (2a + b + c), which units both left absent do not change).
 * @return the share, or NAN if no pairable value is in `category`.
 */
double kb_reliability_specific(const kb_reliability *r, int category);

/** Frees reliability data. NULL is fine. */
void kb_reliability_free(kb_reliability *r);

/**
 * Agreement over one table: kb_reliability_new, _add, _agreement and _free
 * in one call.
 * @param[out] out  filled on success
 * @return 0, KB_EINVAL (no coders, a bad value or size), KB_ENOMEM.
 */
int kb_agreement_compute(kb_agreement *out, const int *values, size_t units,
                         size_t coders, kb_error *err);

/** Automatic codes scored against a coder's (docs/agreement.md). */
typedef struct kb_eval_scores {
    size_t tp, fp, fn; /**< the counts given */
    double precision;  /**< tp / (tp + fp), NAN if nothing was coded */
    double recall;     /**< tp / (tp + fn), NAN if the coder coded nothing */
    double f1;         /**< 2tp / (2tp + fp + fn), NAN if all three are 0 */
} kb_eval_scores;

/**
 * Fills `out` from true positives, false positives and false negatives.
 * Summed counts over codes give the micro-averaged figures.
 */
void kb_eval_compute(kb_eval_scores *out, size_t tp, size_t fp, size_t fn);

/* ------------------------------------------------------------------------ */
/* Utilities                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Writes s[0..n) to `f` as a JSON string, quotes included: '"' and '\'
 * are escaped, newline, tab and carriage return are written as \n, \t
 * and \r, other control characters as \u00XX, and all else is copied.
 * Bytes that are not valid UTF-8 become U+FFFD, so the result is always
 * valid JSON. The library's JSON and the CLI's share this one escaper.
 * @return 0, or KB_EIO if `f` has an error.
 */
int kb_json_quote(FILE *f, const char *s, size_t n, kb_error *err);

/**
 * The width of UTF-8 text `s` on a terminal: the terminal cells of its
 * widest line, where å, ä and ö take one cell, East Asian wide characters
 * two, combining marks none, and a tab or a byte that is not UTF-8 one.
 * Text tables and the CLI's listings pad by it. NULL is 0 wide.
 */
int kb_text_width(const char *s);

/**
 * A timestamp of `ms` milliseconds as a transcript writes it, "01:02:03",
 * or "01:02:03.450" when it has milliseconds, written into `buf` (at least
 * 32 bytes). Returns buf.
 */
const char *kb_time_text(char *buf, int64_t ms);

/* ------------------------------------------------------------------------ */
/* Data-structure figure                                                     */
/* ------------------------------------------------------------------------ */

/** The formats of kb_structure_write. */
typedef enum kb_structure_format {
    KB_STRUCTURE_SVG = 1, /**< a standalone SVG, laid out by kodbok */
    KB_STRUCTURE_DOT = 2  /**< Graphviz DOT, laid out by dot(1) */
} kb_structure_format;

/** A count that is not shown (e.g. a node the counted run did not have). */
#define KB_NO_COUNT ((size_t)-1)

/** Options for kb_structure_write. Initialise with
 * KB_STRUCTURE_OPTIONS_INIT. */
typedef struct kb_structure_options {
    unsigned version;           /**< KB_STRUCTURE_OPTIONS_VERSION */
    kb_structure_format format; /**< KB_STRUCTURE_SVG (default) or _DOT */
    /** NULL, or one count per codebook node, indexed like kb_codebook_get;
     * shown as "(n)" after the labels of dimensions, themes and concepts.
     * KB_NO_COUNT leaves a node without one. */
    const size_t *counts;
    /** Column headers: "sv" (NULL: the default) or "en". */
    const char *lang;
} kb_structure_options;

#define KB_STRUCTURE_OPTIONS_VERSION 1
#define KB_STRUCTURE_OPTIONS_INIT                                              \
    {                                                                          \
        KB_STRUCTURE_OPTIONS_VERSION, KB_STRUCTURE_SVG, NULL, NULL             \
    }

/**
 * Writes the Gioia data structure of a codebook (docs/structure.md):
 * first-order concepts in the left column, second-order themes in the
 * middle and aggregate dimensions on the right (two columns when the
 * codebook has none), each joined to its parent by a line. Facets are not
 * drawn. Long labels wrap. The output is the same byte for byte for the
 * same codebook and options.
 * @param out   the stream to write to; not closed
 * @param opts  NULL for the defaults (SVG, no counts, Swedish headers)
 * @return 0, KB_EINVAL (bad options), KB_ENOMEM, KB_EIO (writing failed).
 */
int kb_structure_write(FILE *out, const kb_codebook *cb,
                       const kb_structure_options *opts, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Manual codings                                                            */
/* ------------------------------------------------------------------------ */

/*
 * A manual coding is a coder's code (concept, theme or dimension of the
 * last run's codebook) on a passage of a document's current version. It is
 * anchored by its span, its exact text and some context on each side, and
 * follows its document when a transcript is imported again
 * (docs/manual.md). Review decisions (accept or reject an automatic quote)
 * are stored the same way. All spans are code points, end exclusive.
 */

/** How a passage is given. */
typedef enum kb_where_by {
    KB_AT_QUOTE = 1,  /**< the nth occurrence of a text: exact, or else
                           ignoring case, quotation marks, dashes and white
                           space (docs/manual.md) */
    KB_AT_SPAN = 2,   /**< code points [start, end) */
    KB_AT_SEGMENT = 3 /**< a whole turn, paragraph or sentence */
} kb_where_by;

/** A passage of a document, by quote, span or segment. */
typedef struct kb_where {
    kb_where_by by;
    const char *quote;    /**< KB_AT_QUOTE: the text, normalised to NFC;
                               the span taken is the document's own text */
    size_t nth;           /**< KB_AT_QUOTE: 1-based; 0: it must occur once */
    size_t start, end;    /**< KB_AT_SPAN */
    kb_segment_kind kind; /**< KB_AT_SEGMENT */
    size_t index;         /**< KB_AT_SEGMENT: its kb_segment.index */
} kb_where;

/** What a manual coding records. */
typedef enum kb_decision {
    KB_DECISION_TAG = 1,    /**< a code applied by hand */
    KB_DECISION_ACCEPT = 2, /**< an automatic quote confirmed in review */
    KB_DECISION_REJECT = 3  /**< an automatic quote rejected in review */
} kb_decision;

/** "tag", "accept", "reject"; NULL for anything else. */
const char *kb_decision_name(kb_decision d);

/** Options for kb_tag_add. Initialise with KB_TAG_OPTIONS_INIT. */
typedef struct kb_tag_options {
    unsigned version;          /**< KB_TAG_OPTIONS_VERSION */
    const char *coder;         /**< required: no white space or comma */
    const char *memo;          /**< or NULL */
    const char *const *facets; /**< "facet=value" pairs, e.g. "level=lokal" */
    size_t nfacets;
} kb_tag_options;

#define KB_TAG_OPTIONS_VERSION 1
#define KB_TAG_OPTIONS_INIT                                                    \
    {                                                                          \
        KB_TAG_OPTIONS_VERSION, NULL, NULL, NULL, 0                            \
    }

/**
 * Applies a code by hand to a passage of a document's current version. The
 * code must be a concept, theme or dimension of the last run's codebook, and
 * each facet a facet=value pair of it. One transaction.
 * @param[out] id  the new coding's id (may be NULL)
 * @return 0; KB_ENORUN (no run yet: codes are those of the last run);
 *         KB_ENOENT (no such document, code or facet value, a quote that
 *         does not occur or occurs fewer than nth times; the message names
 *         the nearest code, or the passage nearest to the quote, when one
 *         is near);
 *         KB_EINVAL (a quote occurring more than once without nth, a span
 *         outside the text or splitting a character from its combining mark,
 *         a bad coder name); KB_EEXIST (the coder has that code on that
 *         passage already); KB_EDB.
 */
int kb_tag_add(int64_t *id, kb_project *p, const char *doc, const char *code,
               const kb_where *at, const kb_tag_options *opts, kb_error *err);

/**
 * Finds a passage of a document's current version as kb_tag_add does,
 * without storing anything: to name a quote by a passage of it.
 * @param[out] start, end  its code points, end exclusive
 * @return 0; KB_ENOENT (no such document, a quote that does not occur or
 *         occurs fewer than nth times, no such segment); KB_EINVAL (a quote
 *         occurring more than once without nth, a bad span); KB_EDB.
 */
int kb_passage_find(size_t *start, size_t *end, kb_project *p, const char *doc,
                    const kb_where *at, kb_error *err);

/**
 * Removes the coder's manual coding (tag or review decision) of `code` on
 * the passage `at` of the document's current version.
 * @return 0, KB_ENOENT (no such document, coder, or coding), KB_EINVAL,
 *         KB_EDB.
 */
int kb_tag_remove(kb_project *p, const char *doc, const char *code,
                  const kb_where *at, const char *coder, kb_error *err);

/** Removes the manual coding with this id (as listed). KB_ENOENT if none. */
int kb_tag_remove_id(kb_project *p, int64_t id, kb_error *err);

/** One manual coding as listed. Strings are borrowed from the list. */
typedef struct kb_tag_info {
    int64_t id;
    const char *document;
    int version;      /**< the version it is placed on (or last stood on) */
    const char *hash; /**< SHA-256 of that version's text, hex */
    int placed;       /**< 0: kept aside, it could not be re-anchored */
    const char *coder;
    kb_code_kind kind; /**< concept, theme or dimension */
    const char *code;
    kb_decision decision;
    size_t start, end;       /**< code points in that version */
    const char *quote;       /**< the passage's text */
    const char *before;      /**< context before it */
    const char *after;       /**< context after it */
    kb_segment_kind segment; /**< decisions: the quote's segment kind; 0 */
    const char *facets;      /**< "level=lokal" pairs, ';'-separated, or "" */
    const char *memo;        /**< "" if none */
    const char *created_at;  /**< UTC, ISO 8601 */
    int featured;            /**< 1: the coder featured the quote it is part of
                                  (kb_quote_feature) */
} kb_tag_info;

typedef struct kb_tag_list kb_tag_list;

/**
 * Lists manual codings, placed and kept aside, of one coder (or all when
 * `coder` is NULL), ordered by document, start, end, coder, kind, code.
 * @return 0, KB_ENOENT (a coder with no manual codings), KB_EDB.
 */
int kb_project_tags(kb_tag_list **out, kb_project *p, const char *coder,
                    kb_error *err);
size_t kb_tag_list_count(const kb_tag_list *l);
/** Borrowed; valid until kb_tag_list_free. */
const kb_tag_info *kb_tag_list_get(const kb_tag_list *l, size_t i);
void kb_tag_list_free(kb_tag_list *l);

/*
 * Tags files (docs/manual.md): a header line, then one tab-separated line
 * per placed manual coding, sorted, with \\, \t, \n and \r escaped. A
 * line names its document version by the first 16 hex digits of the text's
 * SHA-256, so the file moves between projects that imported the same
 * transcripts.
 */

/**
 * Writes the placed manual codings of one coder (all when NULL) to `out` as
 * a tags file. Codings kept aside are left out.
 * @param out           the stream to write to; not closed
 * @param[out] written  the lines of codings written (may be NULL)
 * @return 0, KB_ENOENT (a coder with no manual codings), KB_EIO, KB_EDB.
 */
int kb_tags_write(FILE *out, size_t *written, kb_project *p, const char *coder,
                  kb_error *err);

/** What importing a tags file did. */
typedef struct kb_tags_import_report {
    size_t lines;     /**< lines of codings read */
    size_t added;     /**< new manual codings */
    size_t same;      /**< already in the project, the same */
    size_t conflicts; /**< in the project with another decision, memo or
                           facets: the project's is kept */
    size_t unplaced;  /**< made on an older version and not found in the
                           current one: kept aside */
    size_t featured;  /**< in the project, the same but not featured, and
                           featured in the file: featured now */
} kb_tags_import_report;

/** Options for kb_tags_import. Initialise with KB_TAGS_IMPORT_OPTIONS_INIT. */
typedef struct kb_tags_import_options {
    unsigned version;    /**< KB_TAGS_IMPORT_OPTIONS_VERSION */
    kb_notice_fn notice; /**< conflicts and codings kept aside */
    void *ctx;           /**< passed to `notice` */
} kb_tags_import_options;

#define KB_TAGS_IMPORT_OPTIONS_VERSION 1
#define KB_TAGS_IMPORT_OPTIONS_INIT                                            \
    {                                                                          \
        KB_TAGS_IMPORT_OPTIONS_VERSION, NULL, NULL                             \
    }

/**
 * Imports a tags file, in one transaction. Importing the same file again
 * adds nothing. A line made on the document's current text must hold its
 * quote at its span; one made on an older version is re-anchored by quote
 * and context, or kept aside. Conflicts and codings kept aside are named
 * through `notice` ("FILE:LINE: ...").
 * @param[out] out  filled on success (may be NULL)
 * @param opts      NULL for the defaults (no notices)
 * @return 0, KB_EFORMAT (a bad line: the file and line in `err`; a document,
 *         code or facet the project does not have; a text hash matching no
 *         version of the document), KB_ENORUN (no runs yet), KB_ENOENT,
 *         KB_EIO, KB_EDB, KB_EINVAL (options of an unknown version).
 */
int kb_tags_import(kb_tags_import_report *out, kb_project *p, const char *path,
                   const kb_tags_import_options *opts, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Memos (docs/analysis.md#memos, docs/manual.md#memos-files)                */
/* ------------------------------------------------------------------------ */

/** What a memo is about. */
typedef enum kb_memo_target {
    KB_MEMO_PROJECT = 1,  /**< the project: an entry of the analytic journal */
    KB_MEMO_DOCUMENT = 2, /**< a document, by its name */
    KB_MEMO_CASE = 3,     /**< a case, by its id */
    KB_MEMO_CODE = 4,     /**< a concept, theme or dimension, by its id */
    KB_MEMO_CODING = 5    /**< a manual coding, by its id: its memo */
} kb_memo_target;

/** "project", "document", "case", "code", "coding"; NULL for another. */
const char *kb_memo_target_name(kb_memo_target t);

/** The thing a memo is written on. */
typedef struct kb_memo_about {
    kb_memo_target target;
    const char *name; /**< the document's name, the case's id or the code's
                           id; NULL for the project and a coding (in a
                           filter, NULL: every one of `target`) */
    int64_t coding;   /**< KB_MEMO_CODING: the manual coding's id (in a
                           filter, 0: every coding) */
    const char *at;   /**< KB_MEMO_CODE: "facet=value" ("level=regional")
                           for the code at one value of a facet of the last
                           run's codebook, the cell of a theme x level
                           slide; NULL or "" for the code as a whole. In a
                           filter: NULL, any; "", memos on a thing as a
                           whole only; "facet=value", that cell's only */
} kb_memo_about;

/** One memo as listed. Strings are borrowed from the list. */
typedef struct kb_memo_info {
    int64_t id; /**< the memo's id; a coding's memo: 0 */
    kb_memo_target target;
    kb_code_kind kind;      /**< KB_MEMO_CODE: concept, theme or dimension */
    const char *name;       /**< as in kb_memo_about; a coding's memo: the
                                 coding's document; the project: "" */
    int64_t coding;         /**< KB_MEMO_CODING: the manual coding's id */
    const char *code;       /**< KB_MEMO_CODING: the coding's code; NULL */
    const char *author;     /**< who wrote it */
    const char *created_at; /**< UTC, ISO 8601 with milliseconds (a
                                 coding's memo written with the coding: its
                                 time, in seconds) */
    const char *changed_at; /**< UTC, ISO 8601; created_at if never changed */
    const char *text;       /**< Markdown, NFC, LF line ends */
    const char *at;         /**< KB_MEMO_CODE: "facet=value" when the memo
                                 is on the code at a facet value (as
                                 kb_memo_about.at); "" otherwise */
} kb_memo_info;

typedef struct kb_memo_list kb_memo_list;

/**
 * Writes a memo on the project, a document, a case, a code of the last
 * run's codebook, or a manual coding. A coding has one memo, the one
 * kb_tag_options.memo gives and tags files carry: adding one to a coding
 * that has a memo fails. The text is normalised as a transcript is (UTF-8,
 * LF line ends, NFC) and trailing white space dropped; it must not be empty.
 * @param[out] id  the new memo's id (a coding's: the coding's id; may be
 *                 NULL)
 * @param author   required: no white space or comma, as a coder's name
 * A memo on a code may be on the code at one value of a facet (`at`,
 * "level=regional"), the lead statement of that theme x level cell.
 * @return 0; KB_ENOENT (no such document, case, code, coding, facet or
 *         facet value: the message names it and the nearest name the
 *         project has); KB_ENORUN (a code memo in a project with no run);
 *         KB_EEXIST (the coding has a memo: change it with `kb_memo_edit`);
 *         KB_EINVAL (empty text, a bad author, target or UTF-8, `at` on
 *         another target than a code or not "facet=value"); KB_EDB.
 */
int kb_memo_add(int64_t *id, kb_project *p, const kb_memo_about *about,
                const char *author, const char *text, kb_error *err);

/**
 * Replaces the text of memo `id` (with `coding` non-zero: of the memo of
 * manual coding `id`) and sets its change time, unless the new text is the
 * same as the old once normalised, when nothing is stored.
 * @param[out] changed  1 if the text changed, 0 if it was the same (may be
 *                      NULL)
 * @return 0, KB_ENOENT (no such memo, or the coding has none), KB_EINVAL
 *         (empty text, bad UTF-8), KB_EDB.
 */
int kb_memo_edit(int *changed, kb_project *p, int64_t id, int coding,
                 const char *text, kb_error *err);

/**
 * The text of a memo written in a file (caller frees *out; NUL-terminated),
 * read as kodbok reads every input (docs/limits.md, "Inputs"): a regular
 * file, a pipe such as standard input (`/dev/stdin`) or a FIFO, up to
 * 64 MiB (the environment variable KODBOK_MAX_INPUT_MB sets the cap in
 * MiB). kb_memo_add and kb_memo_edit check and normalise it.
 * @return 0, KB_EFORMAT (larger than the cap: the message names the file,
 *         the cap and the variable), KB_ENOENT, KB_EIO, KB_EINVAL (the
 *         variable set to no size), KB_ENOMEM.
 */
int kb_memo_text_read(char **out, const char *path, kb_error *err);

/**
 * Removes memo `id` (with `coding` non-zero: the memo of manual coding `id`,
 * leaving the coding).
 * @return 0, KB_ENOENT (no such memo, or the coding has none), KB_EDB.
 */
int kb_memo_remove(kb_project *p, int64_t id, int coding, kb_error *err);

/**
 * Lists memos, those about `about` only when it is not NULL (by target, and
 * by name, coding or `at` when given: kb_memo_about.at says how), of one
 * author only when `author` is not NULL; ordered by target (project,
 * document, case, code, coding), name, `at` (a code's memos as a whole
 * first, then its cells', by the text of "facet=value"), creation time and
 * id. A memo may name a document, case, code or facet value the project no
 * longer has (a removed document, a code no longer in the codebook): it is
 * kept and listed.
 * @return 0, KB_EINVAL (a bad target), KB_EDB.
 */
int kb_project_memos(kb_memo_list **out, kb_project *p,
                     const kb_memo_about *about, const char *author,
                     kb_error *err);
size_t kb_memo_list_count(const kb_memo_list *l);
/** Borrowed; valid until kb_memo_list_free. */
const kb_memo_info *kb_memo_list_get(const kb_memo_list *l, size_t i);
void kb_memo_list_free(kb_memo_list *l);

/*
 * Memos files (docs/manual.md): a header line, then one tab-separated line
 * per memo on the project, a document, a case or a code (as a whole or at
 * a facet value), sorted by target, name, `at`, creation time and author,
 * with \\, \t, \n and \r escaped as in tags files. Files of the form
 * before `at` still import. Codings' memos travel in the tags file with
 * their codings.
 */

/**
 * Writes the memos on the project, documents, cases and codes to `out` as a
 * memos file.
 * @param out           the stream to write to; not closed
 * @param[out] written  the lines of memos written (may be NULL)
 * @return 0, KB_EIO, KB_EDB.
 */
int kb_memos_write(FILE *out, size_t *written, kb_project *p, kb_error *err);

/** What importing a memos file did. */
typedef struct kb_memos_import_report {
    size_t lines;     /**< lines of memos read */
    size_t added;     /**< new memos */
    size_t same;      /**< already in the project, the same */
    size_t conflicts; /**< in the project (same target, name, `at`, author
                           and creation time) with another text: the
                           project's is kept */
} kb_memos_import_report;

/** Options for kb_memos_import. Initialise with KB_MEMOS_IMPORT_OPTIONS_INIT.
 */
typedef struct kb_memos_import_options {
    unsigned version;    /**< KB_MEMOS_IMPORT_OPTIONS_VERSION */
    kb_notice_fn notice; /**< conflicts */
    void *ctx;           /**< passed to `notice` */
} kb_memos_import_options;

#define KB_MEMOS_IMPORT_OPTIONS_VERSION 1
#define KB_MEMOS_IMPORT_OPTIONS_INIT                                           \
    {                                                                          \
        KB_MEMOS_IMPORT_OPTIONS_VERSION, NULL, NULL                            \
    }

/**
 * Imports a memos file, in one transaction: one with the column `at`, or
 * one written before it (its memos on things as a whole). Importing the
 * same file again adds nothing. Conflicts are named through `notice`
 * ("FILE:LINE: ...").
 * @param[out] out  filled on success (may be NULL)
 * @return 0, KB_EFORMAT (a bad line, the file and line in `err`: a wrong
 *         number of fields, a bad escape, target, author or time, an empty
 *         text, a document, case, code, facet or facet value the project
 *         does not have, an `at` on another target than a code),
 *         KB_ENORUN (code memos and no run yet), KB_ENOENT, KB_EIO, KB_EDB,
 *         KB_EINVAL (options of an unknown version).
 */
int kb_memos_import(kb_memos_import_report *out, kb_project *p,
                    const char *path, const kb_memos_import_options *opts,
                    kb_error *err);

/* ------------------------------------------------------------------------ */
/* Quotes and the matrix                                                     */
/* ------------------------------------------------------------------------ */

/** Which quotes to take (NULL or 0 fields do not filter). */
typedef struct kb_quote_filter {
    int64_t run;           /**< the run whose codings count; 0: the last */
    const char *dimension; /**< dimension id */
    const char *theme;     /**< theme id */
    const char *concept;   /**< concept id */
    const char *document;  /**< document name */
    const char *case_id;   /**< case id */
    const char *facet;     /**< with facet_value: "level" = "lokal" */
    const char *facet_value;
    const char *attr; /**< with attr_value: a case attribute = value */
    const char *attr_value;
    const char *source;   /**< "auto", "manual", or "all" (NULL: all) */
    const char *coder;    /**< manual codings of this coder only */
    const char *reviewer; /**< whose review decisions fill `decision` */
    int unreviewed;    /**< automatic quotes the reviewer has not decided on */
    int with_rejected; /**< keep rejected automatic quotes (left out) */
    int counts_only;   /**< a list to count, not to show (a matrix without
                            its quotes): automatic quotes without their text
                            (NULL; words are counted) and the list in no
                            particular order, which is much quicker */
    int skip_words;    /**< leave every row's `words` 0, for a caller that
                            counts no words (kb_quote_excerpt counts its
                            own; a matrix of KB_COUNT_WORDS needs them) */
    int grouped; /**< with counts_only, a list to count by code, facet value
                      or document only (kb_matrix_groupable): the automatic
                      quotes of one coding pack (a concept on a document)
                      with the same facet values, on a document without
                      manual codings, are one row that stands for
                      kb_quote_list_weight quotes, without case, speaker,
                      position or words; much quicker and smaller over
                      many quotes. Not with a case or attribute filter,
                      which gives a list of single rows. 2: across
                      documents too, such quotes of a concept with the same
                      facet values on any document one row without a
                      document, for a matrix neither whose count nor axes
                      need it (kb_matrix_groupable 2) */
} kb_quote_filter;

/**
 * One quote (docs/exports.md, "What a quote is"): a concept on one segment
 * of the concept's scope, whatever number of codings found it (the run's
 * rules, coders' tags, coders' acceptances in review), or a coder's tag of
 * a whole theme or dimension on the sentence it starts in. Strings are
 * borrowed from the list; absent ones are NULL.
 */
typedef struct kb_quote_row {
    const char *document;
    int version;
    const char *case_id, *speaker;
    size_t start, end;                       /**< the quote's code points */
    size_t match_start, match_end;           /**< the match inside it */
    const char *dimension, *theme, *concept; /**< ids */
    const char *dimension_label, *theme_label, *concept_label;
    const char *const *facets; /**< value per facet of the list, or NULL */
    const char *source;        /**< "auto" when the run's rules found it,
                                    else "manual" (coders only) */
    const char *coder;         /**< every coder who tagged or accepted it,
                                    comma-separated in name order, or NULL */
    const char *text;          /**< the quote */
    size_t words;              /**< words in the quote */
    kb_segment_kind kind;      /**< the segment it is on (automatic: the
                                    segment it is; manual: the one of the
                                    scope its passage starts in), or 0 */
    size_t index;              /**< that segment's index among its kind */
    kb_decision decision;      /**< found by the rules: the reviewer's
                                    decision, or 0; else KB_DECISION_TAG, or
                                    KB_DECISION_ACCEPT when only accepted */
    int rejected;              /**< automatic: some coder rejected it */
    const char *memo;          /**< the coders' memos ("; " between), or
                                    NULL */
    const char *tagged_by;     /**< coders who tagged it, comma-separated in
                                    name order, or NULL */
    const char *accepted_by;   /**< coders who accepted it in review (it
                                    stays theirs when the rules no longer
                                    find it), comma-separated, or NULL */
    int64_t time_ms;           /**< the last timestamp at or before the quote (a
                                    manual one: its turn's), or KB_NO_TIME */
    kb_role role; /**< the speaker's role (a manual quote: its turn's) */
    const char *featured_by; /**< coders who featured it, comma-separated in
                                  name order, or NULL */
} kb_quote_row;

typedef struct kb_quote_list kb_quote_list;

/**
 * The quotes of a run that pass the filter, ordered by document, position
 * and codebook order (docs/exports.md, "What a quote is"): the run's
 * automatic quotes, less those some coder rejected (unless
 * `with_rejected`), and the placed manual codings (tags and review
 * acceptances) of the documents' current versions, coded with the run's
 * codebook. A manual coding is a quote of its code on the segment of the
 * concept's scope its passage starts in (a theme's or dimension's: the
 * sentence); the codings of one code on one segment are one quote, listing
 * its coders, so that every count made from this list counts each quote
 * once. A manual coding of a theme or dimension has no concept. Facet
 * values follow the precedence rule (docs/codebook.md): a manual coding's
 * facet values apply to the quote it is part of and to the quotes inside
 * its passage. `source` "auto" keeps the quotes the rules found, "manual"
 * those some coder tagged or accepted; `coder` takes that coder's manual
 * codings only. This is the list every table, export and count of quotes
 * uses. The list borrows p (a co-occurrence matrix reads segments from
 * it): free the list first.
 * @return 0, KB_ENORUN (no runs yet), KB_ENOENT (no such run, a reviewer or
 *         coder with no manual codings), KB_EINVAL (a filter without its
 *         value, an unknown source, a bad coder name), KB_EDB, KB_ENOMEM.
 */
int kb_project_quotes(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *filter, kb_error *err);
size_t kb_quote_list_count(const kb_quote_list *l);
const kb_quote_row *kb_quote_list_get(const kb_quote_list *l, size_t i);
/** The code a quote is of: its concept, else its theme (a tag on a whole
 * theme), else its dimension; its kind into *kind when not NULL. */
const char *kb_quote_code(const kb_quote_row *q, kb_code_kind *kind);
/** How many quotes row i stands for: 1 but in a grouped list
 * (kb_quote_filter.grouped). */
size_t kb_quote_list_weight(const kb_quote_list *l, size_t i);
/** The facets of the run (ids and labels): kb_quote_row.facets[i]. */
size_t kb_quote_list_facets(const kb_quote_list *l);
const char *kb_quote_list_facet(const kb_quote_list *l, size_t i);
/** The label of a code of the run ("level", "lokal", ...) or NULL. */
const char *kb_quote_list_label(const kb_quote_list *l, const char *code);
/** The names of the project's case attributes, each once, in the order
 * the cases file gave them; borrowed from the list. */
size_t kb_quote_list_attributes(const kb_quote_list *l);
const char *kb_quote_list_attribute(const kb_quote_list *l, size_t i);
/** The value of attribute `name` of the quote's case, or NULL; borrowed
 * from the list. */
const char *kb_quote_attribute(const kb_quote_list *l, const kb_quote_row *q,
                               const char *name);
void kb_quote_list_free(kb_quote_list *l);

/** The quotes of kb_project_quotes a document at a time. */
typedef struct kb_quote_pages kb_quote_pages;

/**
 * The quotes kb_project_quotes would list for `filter`, read a document
 * at a time (kb_quote_pages_next), so that no more than one document's
 * quotes are held: the same rows in the same order, each document's in a
 * page of its own. The filter's strings are borrowed until
 * kb_quote_pages_free; `grouped` does not apply. Borrows p.
 * @return 0, and the errors of kb_project_quotes.
 */
int kb_project_quote_pages(kb_quote_pages **out, kb_project *p,
                           const kb_quote_filter *filter, kb_error *err);
/** The next document's quotes (never none) in *page, borrowed until the
 * next call; NULL after the last document. The errors of
 * kb_project_quotes; after one, the pages are at their end. */
int kb_quote_pages_next(kb_quote_pages *pg, const kb_quote_list **page,
                        kb_error *err);
/** The list the pages are read into: the run's facets, labels and case
 * attributes (kb_quote_list_facets, ...) before the first page too. */
const kb_quote_list *kb_quote_pages_list(const kb_quote_pages *pg);
/** Back to the first document. */
void kb_quote_pages_rewind(kb_quote_pages *pg);
void kb_quote_pages_free(kb_quote_pages *pg);

/**
 * The quote shortened to at most `max_words` words around its match, the
 * way a paper elides: "[…]" stands where text was cut at either end. A word
 * is a run of letters, digits and marks; a window of words is kept with the
 * match in its middle (from the match's first word if the match alone is
 * longer), plus the punctuation after the last kept word. `max_words` 0 or
 * a quote no longer than it gives the whole text.
 * @param[out] out  malloc'ed, NUL-terminated
 * @return 0, KB_ENOMEM.
 */
int kb_quote_excerpt(char **out, const kb_quote_row *q, size_t max_words,
                     kb_error *err);

/** What a matrix cell counts. */
typedef enum kb_count_kind {
    KB_COUNT_QUOTES = 0, /**< quotes (a quote with two values counts in both) */
    KB_COUNT_DOCUMENTS = 1, /**< distinct documents */
    KB_COUNT_CASES = 2,     /**< distinct cases */
    KB_COUNT_WORDS = 3,     /**< words in the quotes */
    KB_COUNT_PRESENCE = 4   /**< 1 when the cell counts anything, else 0 */
} kb_count_kind;

/** Parses "quotes", "documents", "cases", "words", "presence"; -1 if none. */
int kb_count_kind_parse(const char *name);

typedef struct kb_matrix kb_matrix;

/** The units a co-occurrence matrix counts (docs/exports.md,
 * "Co-occurrence"): a code holds a unit when one of its quotes lies in it. */
typedef enum kb_matrix_unit {
    KB_UNIT_SEGMENT = 0,  /**< sentences: those a quote's span overlaps */
    KB_UNIT_TURN = 1,     /**< turns: those a quote's span overlaps */
    KB_UNIT_DOCUMENT = 2, /**< the quote's document */
    KB_UNIT_CASE = 3      /**< the quote's case (none without a case) */
} kb_matrix_unit;

/** Parses "segment", "turn", "document", "case"; -1 if none. */
int kb_matrix_unit_parse(const char *name);

/**
 * Counts quotes by two axes. An axis is "dimension", "theme", "concept", a
 * facet id ("level"), "attr:NAME" (a case attribute), "speaker", "document"
 * or "case". Codebook axes list every code in codebook order, counted or
 * not; the others list the values found, sorted. Quotes without a value on
 * an axis are left out of the matrix (so a concept by theme matrix puts
 * each concept's quotes under its theme). KB_COUNT_PRESENCE gives 1 for a
 * cell with quotes, and totals that count the cells present. A grouped
 * list (kb_quote_filter.grouped) builds the matrices kb_matrix_groupable
 * allows.
 * @return 0, KB_EINVAL (an unknown axis, a grouped list with axes or a
 *         count it cannot give), KB_ENOENT, KB_EDB, KB_ENOMEM.
 */
int kb_matrix_build(kb_matrix **out, const kb_quote_list *quotes,
                    const char *rows, const char *cols, kb_count_kind count,
                    kb_error *err);
/**
 * Whether kb_matrix_build can count these axes from a grouped list: quotes,
 * documents or presence, on axes of codes (not both: that is
 * co-occurrence), facet values or documents. 0: no; 1: from a list
 * grouped by pack; 2: also from one grouped across documents (no count of
 * documents, no document axis): kb_quote_filter.grouped takes the answer.
 * NULL axes are the default ones.
 */
int kb_matrix_groupable(const char *rows, const char *cols,
                        kb_count_kind count);
/**
 * kb_matrix_build, except that when both axes are codes (dimension, theme,
 * concept) the matrix counts co-occurrence: a cell is the number of units
 * (`unit`) that hold both its row's code and its column's, a code holding a
 * unit when one of its quotes lies in it (kb_matrix_unit); a row's total is the
 * units that hold its code, a column's likewise, and the total the units that
 * hold any; `count` is KB_COUNT_QUOTES (units) or KB_COUNT_PRESENCE. A cell's
 * quotes are those of its two codes in the units that hold both (none for
 * a list read with counts_only). Segments and turns are read from the
 * list's project, which must still be open. A unit other than
 * KB_UNIT_SEGMENT (the default) with axes that are not both codes is
 * refused.
 * @return 0, KB_EINVAL (an unknown axis or unit, a unit or count that does
 *         not apply), KB_ENOENT, KB_EDB, KB_ENOMEM.
 */
int kb_matrix_build_units(kb_matrix **out, const kb_quote_list *quotes,
                          const char *rows, const char *cols,
                          kb_count_kind count, kb_matrix_unit unit,
                          kb_error *err);
/** Whether the matrix counts co-occurrence (both axes codes). */
int kb_matrix_cooccurrence(const kb_matrix *m);
/** A co-occurrence cell's Jaccard index: the units holding both codes over
 * the units holding either (0 when none does); 0 in other matrices. */
double kb_matrix_jaccard(const kb_matrix *m, size_t r, size_t c);
size_t kb_matrix_rows(const kb_matrix *m);
size_t kb_matrix_cols(const kb_matrix *m);
/** A row's or column's key (id) and label (its label, or the key). */
const char *kb_matrix_row_key(const kb_matrix *m, size_t r);
const char *kb_matrix_row_label(const kb_matrix *m, size_t r);
const char *kb_matrix_col_key(const kb_matrix *m, size_t c);
const char *kb_matrix_col_label(const kb_matrix *m, size_t c);
size_t kb_matrix_cell(const kb_matrix *m, size_t r, size_t c);
/** Totals; for documents and cases they count distinct ones, not sums. */
size_t kb_matrix_row_total(const kb_matrix *m, size_t r);
size_t kb_matrix_col_total(const kb_matrix *m, size_t c);
size_t kb_matrix_total(const kb_matrix *m);
/** The quotes of cell (r, c): indexes into the quote list. */
size_t kb_matrix_cell_quotes(const kb_matrix *m, size_t r, size_t c,
                             const size_t **quotes);
void kb_matrix_free(kb_matrix *m);

/**
 * Stores a coder's review decision (KB_DECISION_ACCEPT or _REJECT) on an
 * automatic quote, as a manual coding of its concept on its segment. A
 * rejected quote is left out of kb_project_quotes and kb_project_count from
 * then on, across re-runs, until its text changes. One transaction.
 * @return 0, KB_EINVAL (another decision, a bad coder name, a document
 *         re-imported since the run), KB_EEXIST (decided already), KB_EDB.
 */
int kb_quote_decide(kb_project *p, const kb_quote_row *q, const char *coder,
                    kb_decision d, kb_error *err);

/**
 * Removes the coder's review decision (accept or reject) on an automatic
 * quote: the undo of kb_quote_decide. One transaction.
 * @return 0, KB_ENOENT (the coder has no decision on it), KB_EDB.
 */
int kb_quote_undecide(kb_project *p, const kb_quote_row *q, const char *coder,
                      kb_error *err);

/**
 * Features quote q for `coder` (on 1), so that slides can show it first,
 * or takes the featuring back (on 0). The flag is kept on the coder's
 * manual codings that are part of the quote on its document's current
 * version: the coder's tags and acceptance of its code on its segment
 * (kb_project_quotes groups them so). A quote the rules found that the
 * coder has no coding in is accepted for the coder (as kb_quote_decide
 * does) and featured: featuring endorses it. Taking the featuring back
 * keeps the tags and the acceptance. One transaction.
 * @return 0; KB_EINVAL (a quote the coder rejected, a quote only other
 *         coders found, a bad coder name, a document imported again since
 *         the quote's run); KB_EEXIST (on 1: the coder featured it
 *         already); KB_ENOENT (on 0: the coder has not featured it);
 *         KB_EDB.
 */
int kb_quote_feature(kb_project *p, const kb_quote_row *q, const char *coder,
                     int on, kb_error *err);

/**
 * Checks, before a review shows anything, that every automatic quote of a
 * list stands on its document's current version, so that a decision can
 * be stored on each.
 * @return 0; KB_EINVAL naming the documents imported again since the
 *         list's run (code the project again first); KB_EDB.
 */
int kb_quote_list_check_current(kb_project *p, const kb_quote_list *l,
                                kb_error *err);

/* Agreement between coders and the rules scored against a coder, over the
 * project's manual codings (docs/agreement.md, "In short"). */

/** Options for kb_project_agree. Initialise with KB_AGREE_OPTIONS_INIT. */
typedef struct kb_agree_options {
    unsigned version;          /**< KB_AGREE_OPTIONS_VERSION */
    const char *const *coders; /**< two or more, each with manual codings */
    size_t ncoders;
    kb_segment_kind unit; /**< the units; 0: sentences */
    kb_code_kind by;      /**< KB_CODE_CONCEPT (or 0) or KB_CODE_THEME */
    kb_notice_fn notice;  /**< what was left out, and why */
    void *ctx;
} kb_agree_options;

#define KB_AGREE_OPTIONS_VERSION 1
#define KB_AGREE_OPTIONS_INIT                                                  \
    {                                                                          \
        KB_AGREE_OPTIONS_VERSION, NULL, 0, (kb_segment_kind)0,                 \
            (kb_code_kind)0, NULL, NULL                                        \
    }

/**
 * Agreement on one code (or overall, pooled). Borrowed from the report.
 * The first figures count a coder's tags and the automatic quotes they
 * accepted in review alike; as two coders' decisions on the same machine
 * suggestions agree more readily than independent tags, the same is given
 * apart (docs/agreement.md, "What review decisions count as"): over the tags
 * alone, and over the review decisions alone.
 */
typedef struct kb_code_agreement {
    const char *code;     /**< concept or theme id; NULL for the overall row */
    const char *label;    /**< NULL for the overall row */
    size_t present;       /**< units some coder marked present */
    kb_agreement a;       /**< units, pairable, observed, kappa, alpha, ... */
    double positive;      /**< specific agreement on "present" (NAN: none) */
    size_t tags_present;  /**< units some coder tagged (accepted quotes are
                               not counted as present) */
    kb_agreement tags;    /**< the same units, only tags counted present */
    double tags_positive; /**< specific agreement on "present" in `tags` */
    kb_agreement review;  /**< review decisions: a unit per automatic quote
                               of the code some coder decided on, 1 accepted,
                               0 rejected, missing where the coder did not
                               decide */
    size_t accepted;      /**< quotes of `review` some coder accepted */
} kb_code_agreement;

typedef struct kb_agree_report kb_agree_report;

/**
 * Agreement between coders per code of the last run's codebook, and pooled
 * over codes. Units are the segments of `unit` kind in the current versions;
 * a code's table has a row per unit its codebook rule lets it apply to, a
 * column per coder: 1 if a tag or accepted quote of the coder overlaps the
 * unit, 0 if not, missing in documents the coder has no manual coding in.
 * Each code's figures are also given over tags alone and over review
 * decisions alone (kb_code_agreement). Codes no coder used (tagged or
 * decided on) are not reported.
 * @return 0, KB_EINVAL (fewer than two coders, a coder twice, a bad option
 *         or coder name), KB_ENORUN (no runs yet), KB_ENOENT (a coder with
 *         no manual codings), KB_EDB.
 */
int kb_project_agree(kb_agree_report **out, kb_project *p,
                     const kb_agree_options *opts, kb_error *err);
size_t kb_agree_report_count(const kb_agree_report *r);
const kb_code_agreement *kb_agree_report_get(const kb_agree_report *r,
                                             size_t i);
/** The figures over all reported codes, pooled (docs/agreement.md). */
const kb_code_agreement *kb_agree_report_overall(const kb_agree_report *r);

/**
 * A unit of a code's table (tags and accepted quotes counting as present)
 * where the coders who rated it differ: some marked it present, some not.
 * Strings are borrowed from the report.
 */
typedef struct kb_agree_disagreement {
    const char *code;      /**< concept or theme id */
    const char *label;     /**< its label */
    const char *document;  /**< the document's name */
    size_t start, end;     /**< the unit's code points in its current
                                version */
    const char *text;      /**< the unit's text */
    const char *marked_by; /**< the coders who marked it present,
                                comma-separated in the order of
                                kb_agree_options.coders */
} kb_agree_disagreement;

/** The units the coders disagree on, by code (codebook order), document
 * and position. */
size_t kb_agree_report_disagreement_count(const kb_agree_report *r);
/** Borrowed; valid until kb_agree_report_free. NULL past the end. */
const kb_agree_disagreement *
kb_agree_report_disagreement(const kb_agree_report *r, size_t i);
void kb_agree_report_free(kb_agree_report *r);

/** Options for kb_project_eval. Initialise with KB_EVAL_OPTIONS_INIT. */
typedef struct kb_eval_options {
    unsigned version;     /**< KB_EVAL_OPTIONS_VERSION */
    const char *gold;     /**< the coder whose codes are the gold standard */
    int64_t run;          /**< 0: the last run */
    kb_segment_kind unit; /**< 0: sentences */
    kb_code_kind by;      /**< KB_CODE_CONCEPT (or 0) or KB_CODE_THEME */
    kb_notice_fn notice;
    void *ctx;
} kb_eval_options;

#define KB_EVAL_OPTIONS_VERSION 1
#define KB_EVAL_OPTIONS_INIT                                                   \
    {                                                                          \
        KB_EVAL_OPTIONS_VERSION, NULL, 0, (kb_segment_kind)0, (kb_code_kind)0, \
            NULL, NULL                                                         \
    }

/** Scores of one code (or overall, micro-averaged). */
typedef struct kb_code_eval {
    const char *code;  /**< NULL for the overall row */
    const char *label; /**< NULL for the overall row */
    kb_eval_scores s;
} kb_code_eval;

/** A unit the run and the gold coder disagree on. */
typedef struct kb_eval_passage {
    int false_positive; /**< 1: coded by the run only; 0: by the coder only */
    const char *code;
    const char *document;
    size_t start, end; /**< the unit, code points */
    const char *text;
} kb_eval_passage;

typedef struct kb_eval_report kb_eval_report;

/**
 * Scores the automatic codes of a run against a coder's manual codes as
 * gold, per code and micro-averaged, over the units of the documents the
 * gold coder rated (docs/agreement.md, "What `eval` counts"). Quotes rejected
 * in review count as the run's codes: they are what the rules did.
 * @return 0, KB_ENORUN (no runs yet), KB_ENOENT (no such run or coder),
 *         KB_EINVAL, KB_EDB.
 */
int kb_project_eval(kb_eval_report **out, kb_project *p,
                    const kb_eval_options *opts, kb_error *err);
size_t kb_eval_report_count(const kb_eval_report *r);
const kb_code_eval *kb_eval_report_get(const kb_eval_report *r, size_t i);
const kb_code_eval *kb_eval_report_overall(const kb_eval_report *r);
/** The run evaluated (the last one when 0 was asked for). */
int64_t kb_eval_report_run(const kb_eval_report *r);
/** The false positives and false negatives, by code, document, position. */
size_t kb_eval_report_passage_count(const kb_eval_report *r);
const kb_eval_passage *kb_eval_report_passage(const kb_eval_report *r,
                                              size_t i);
void kb_eval_report_free(kb_eval_report *r);

/* The baseline gate (docs/analysis.md, "The baseline gate"): an evaluation
 * saved as a file, and the current rules held to it. */

/**
 * Saves an evaluation as a baseline at `path`: JSON with the gold coder,
 * the unit, whether by concept or theme, the run's codebook (path and
 * hash, for information), then one line per code, sorted by id, with tp,
 * fp, fn, precision, recall and F1 (six decimals, null when undefined),
 * and the overall row. The same evaluation gives the same bytes. Written
 * beside `path` and renamed over it when complete (a device or FIFO is
 * written in place), so a failure leaves `path` as it was.
 * @return 0, KB_EINVAL (no report or path), KB_EIO, KB_ENOMEM.
 */
int kb_eval_baseline_save(const kb_eval_report *r, const char *path,
                          kb_error *err);

/** How a code's F1 moved between a baseline and an evaluation. */
typedef enum kb_gate_status {
    KB_GATE_SAME = 0,   /**< unchanged, or undefined on a side */
    KB_GATE_FELL = 1,   /**< fell by more than the margin: the gate fails */
    KB_GATE_WITHIN = 2, /**< fell, by no more than the margin */
    KB_GATE_ROSE = 3,   /**< rose */
    KB_GATE_NEW = 4,    /**< in the evaluation only */
    KB_GATE_GONE = 5    /**< in the baseline only */
} kb_gate_status;

/** One code of a comparison. */
typedef struct kb_gate_row {
    const char *code;  /**< the code's id */
    const char *label; /**< its label, from the evaluation or the baseline */
    kb_gate_status status;
    double old_f1; /**< the baseline's F1; NAN when undefined or absent */
    double new_f1; /**< the evaluation's F1; NAN when undefined or absent */
} kb_gate_row;

/** Options for kb_eval_gate. Initialise with KB_GATE_OPTIONS_INIT. */
typedef struct kb_gate_options {
    unsigned version; /**< KB_GATE_OPTIONS_VERSION */
    /** How far a code's F1 may fall before the gate fails: from 0 to 1. */
    double margin;
} kb_gate_options;

#define KB_GATE_MARGIN          0.05
#define KB_GATE_OPTIONS_VERSION 1
#define KB_GATE_OPTIONS_INIT                                                   \
    {                                                                          \
        KB_GATE_OPTIONS_VERSION, KB_GATE_MARGIN                                \
    }

typedef struct kb_gate kb_gate;

/**
 * Compares an evaluation with the baseline at `baseline_path` (as
 * kb_eval_baseline_save wrote it), code by code, by F1 rounded to six
 * decimals as saved: a code fell when its F1 is lower than the baseline's
 * by more than opts->margin. A code whose F1 is undefined on either side
 * (no unit coded by the run or the gold coder) is not held to it.
 * @return 0 (whether or not a code fell: kb_gate_failed tells), KB_EINVAL
 *         (bad options; `margin` out of range), KB_ENOENT (no such file),
 *         KB_EFORMAT (a malformed baseline, or one of another gold coder,
 *         unit or kind of code, with file, line and column), KB_EIO,
 *         KB_ENOMEM.
 */
int kb_eval_gate(kb_gate **out, const kb_eval_report *r,
                 const char *baseline_path, const kb_gate_options *opts,
                 kb_error *err);
/** The codes of both sides, sorted by id. */
size_t kb_gate_count(const kb_gate *g);
const kb_gate_row *kb_gate_get(const kb_gate *g, size_t i);
/** The overall (micro-averaged) row, which the gate does not hold to. */
const kb_gate_row *kb_gate_overall(const kb_gate *g);
/** How many codes fell by more than the margin: the gate fails unless 0. */
size_t kb_gate_failed(const kb_gate *g);
void kb_gate_free(kb_gate *g);

/* ------------------------------------------------------------------------ */
/* Slide decks and search                                                    */
/* ------------------------------------------------------------------------ */

/** The formats of kb_slides_write. */
typedef enum kb_slides_format {
    KB_SLIDES_AUTO = 0, /**< PPTX for a path ending in .pptx, else Markdown */
    KB_SLIDES_PPTX = 1, /**< PowerPoint (Office Open XML), 16:9 */
    KB_SLIDES_MD = 2    /**< Markdown for Marp and Pandoc */
} kb_slides_format;

/** How kb_slides_write groups quotes into slides. */
typedef enum kb_slides_per {
    KB_SLIDES_THEME_LEVEL = 0, /**< a slide per theme and level */
    KB_SLIDES_THEME = 1        /**< a slide per theme, levels in the quotes */
} kb_slides_per;

/** What a slide shows after each quote. Whatever it shows, the quote's
 * provenance (case, label, who coded it and how) is in the speaker notes of
 * the page it is on. */
typedef enum kb_slides_cite {
    KB_CITE_NONE = 0,  /**< nothing: the quote alone (the default) */
    KB_CITE_CASE = 1,  /**< the case id: "(ip03)" */
    KB_CITE_LABEL = 2, /**< a pseudonymous label made of the case's
                            attributes (kb_slides_options.label) */
    KB_CITE_FULL = 3   /**< the whole provenance: "(ip03, regel, manuell:
                            anna)" */
} kb_slides_cite;

/** Quotation marks around the quotes on slides. */
typedef enum kb_slides_marks {
    KB_MARKS_NONE = 0, /**< none (the default) */
    KB_MARKS_SV = 1    /**< Swedish typography: ”…”, ’ within */
} kb_slides_marks;

/** The slides before the quotes, combined with |. */
enum {
    KB_SLIDES_OUTLINE = 1,    /**< the outline, with the slides' numbers */
    KB_SLIDES_BACKGROUND = 2, /**< the respondents' background table */
    KB_SLIDES_STRUCTURE = 4,  /**< the data-structure figure */
    KB_SLIDES_OVERVIEW = 8,   /**< the theme × level counts */
    KB_SLIDES_ALL = 15
};

/** Options for kb_slides_write. Initialise with KB_SLIDES_OPTIONS_INIT. */
typedef struct kb_slides_options {
    unsigned version;        /**< KB_SLIDES_OPTIONS_VERSION */
    kb_slides_format format; /**< KB_SLIDES_AUTO by default */
    kb_slides_per per;       /**< KB_SLIDES_THEME_LEVEL by default */
    const char *facet;       /**< the level facet's id; NULL: "level" */
    size_t max_quotes; /**< quotes per concept on a slide; 0: all. The rest
                            are counted ("+ 4 citat till") */
    size_t max_words;  /**< quotes shortened by kb_quote_excerpt; 0: whole */
    const kb_quote_filter *filter; /**< which quotes; NULL: the last run's */
    const char *title;             /**< NULL: the run's codebook name */
    const char *subtitle;          /**< NULL: what the deck shows, counted */
    const char *date;              /**< NULL: the run's number and date */
    /** Non-zero: the memos on each slide's theme and concepts
     * (kb_project_memos) in its speaker notes, each headed by its code's
     * label, author and date: the PPTX's notes pages, the Markdown's HTML
     * comments (Marp's presenter notes). */
    int notes;
    /* Since version 2: */
    kb_slides_cite cite;    /**< KB_CITE_NONE by default */
    const char *label;      /**< KB_CITE_LABEL's template: case attributes
                                 named in braces, "{role}, {level}"; NULL:
                                 "{role}" */
    const char *omission;   /**< the mark where a quote is cut; NULL: "[...]" */
    kb_slides_marks marks;  /**< KB_MARKS_NONE by default */
    int featured_only;      /**< only the quotes coders featured */
    const char *background; /**< the case attributes of the background
                                 table, comma-separated, the first its
                                 rows; NULL: chosen from the cases
                                 (docs/slides.md) */
    unsigned parts;         /**< KB_SLIDES_OUTLINE... ; KB_SLIDES_ALL */
} kb_slides_options;

#define KB_SLIDES_OPTIONS_VERSION 2
#define KB_SLIDES_OPTIONS_INIT                                                 \
    {                                                                          \
        KB_SLIDES_OPTIONS_VERSION, KB_SLIDES_AUTO, KB_SLIDES_THEME_LEVEL,      \
            NULL, 0, 0, NULL, NULL, NULL, NULL, 0, KB_CITE_NONE, NULL, NULL,   \
            KB_MARKS_NONE, 0, NULL, KB_SLIDES_ALL                              \
    }

/**
 * Writes the quotes of a run as a slide deck (docs/slides.md): a title
 * slide; the outline, the respondents' background, the data-structure
 * figure and the theme × level overview (as `parts` asks); then per theme
 * and level (or per theme) a slide titled like "Struktur: Regional nivå",
 * opening with the memos on that cell (kb_memo_about.at) as its lead, with
 * each first-order concept in bold and its quotes below. Concepts come in
 * codebook order, levels in the facet's order, quotes by document and
 * position; where not all are shown, the featured and representative ones
 * are (docs/slides.md, "Which quotes"). A slide that overflows is spread
 * evenly over pages titled "... (forts.)", none with fewer than three
 * quotes. Quotes without a level are on no theme-and-level slide, as they
 * are in no matrix cell. A version 1 options struct is read as far as it
 * goes, the rest taken as KB_SLIDES_OPTIONS_INIT has it.
 * @param out   the stream Markdown is written to when there is no path;
 *              not closed (may be NULL with a path)
 * @param path  the file, replaced only once it is complete; NULL writes
 *              Markdown to `out`
 * @return 0, KB_EINVAL (bad options, PPTX without a path, neither a path
 *         nor a stream, no such facet with KB_SLIDES_THEME_LEVEL, a label
 *         or background naming an attribute no case has), KB_ENORUN (no
 *         runs yet), KB_ENOENT (no such run), KB_EIO, KB_EDB, KB_ENOMEM.
 */
int kb_slides_write(FILE *out, kb_project *p, const char *path,
                    const kb_slides_options *opts, kb_error *err);

/** One match of kb_project_search. Strings are valid during the callback. */
typedef struct kb_search_hit {
    const char *document;
    int version;
    const char *case_id; /**< the speaker's case (or the document's), or NULL */
    const char *speaker; /**< the label of the turn it is in, or NULL */
    size_t start, end;   /**< the match's code points in the document */
    const char *left;    /**< up to `context` code points before it */
    const char *match;   /**< the matched text */
    const char *right;   /**< up to `context` code points after it */
} kb_search_hit;

/** Called once per match in document order; a non-zero return stops the
 * search, which then returns that value. */
typedef int (*kb_search_fn)(void *ctx, const kb_search_hit *hit);

/** The formats of kb_search_write. */
typedef enum kb_search_format {
    KB_SEARCH_TEXT = 0, /**< aligned keyword-in-context lines */
    KB_SEARCH_CSV = 1,  /**< RFC 4180, as docs/exports.md */
    KB_SEARCH_TSV = 2,
    KB_SEARCH_JSON = 3 /**< an array of objects */
} kb_search_format;

/** Options for kb_project_search. Initialise with KB_SEARCH_OPTIONS_INIT. */
typedef struct kb_search_options {
    unsigned version;        /**< KB_SEARCH_OPTIONS_VERSION */
    size_t context;          /**< code points each side (default 40); the
                                  context is cut back to whole words */
    const char *document;    /**< only this document; NULL: all */
    kb_search_format format; /**< kb_search_write only */
    /** kb_search_write, csv and tsv (version 2): as
     * kb_export_options.safe_csv, whose notice goes to `notice`. */
    int safe_csv;
    kb_notice_fn notice; /**< notices (version 2): the formula cells of
                              safe_csv, and, once at the end, the lines
                              where the regex hit the match limit; NULL:
                              none */
    void *ctx;           /**< passed to notice */
} kb_search_options;

#define KB_SEARCH_CONTEXT         40
#define KB_SEARCH_OPTIONS_VERSION 2
#define KB_SEARCH_OPTIONS_INIT                                                 \
    {                                                                          \
        KB_SEARCH_OPTIONS_VERSION, KB_SEARCH_CONTEXT, NULL, KB_SEARCH_TEXT, 0, \
            NULL, NULL                                                         \
    }

/**
 * Keyword in context: every match of `regex` in the current version of
 * each document (by name), compiled as codebook patterns are (NFC, PCRE2
 * UTF, UCP and caseless). Matches do not overlap. Where the regex hits
 * the match limit (as a codebook pattern may), the rest of that document
 * is searched a line at a time, a line that hits it again is passed over,
 * and opts->notice hears once, at the end, how many lines in how many
 * documents, and where the first was.
 * @return 0, fn's non-zero return, KB_EFORMAT (an invalid regex, with
 *         PCRE2's message and the column in the pattern, in code points;
 *         a regex that can match the empty string),
 *         KB_ENOENT (no such document), KB_EDB, KB_ENOMEM.
 */
int kb_project_search(kb_project *p, const char *regex,
                      const kb_search_options *opts, kb_search_fn fn, void *ctx,
                      kb_error *err);

/**
 * kb_project_search written to `out` in opts->format: text is one line per
 * match (document, case, start, then the left context right-aligned so that
 * the matches stand in one column, the match, the right context), the
 * others are tables with the columns document, version, case, speaker,
 * start, end, left, match, right.
 * @return as kb_project_search, and KB_EIO when writing fails.
 */
int kb_search_write(FILE *out, kb_project *p, const char *regex,
                    const kb_search_options *opts, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Quote tables, the matrix as a table, the report                           */
/* ------------------------------------------------------------------------ */

/** The formats of kb_quotes_write and kb_matrix_write (docs/exports.md). */
typedef enum kb_export_format {
    KB_EXPORT_TEXT = 1, /**< aligned columns for a terminal */
    KB_EXPORT_CSV = 2,  /**< RFC 4180 */
    KB_EXPORT_TSV = 3,  /**< tab-separated, tab, newline and \\ escaped */
    KB_EXPORT_MD = 4,   /**< a GitHub-flavoured Markdown table */
    KB_EXPORT_HTML = 5, /**< an HTML fragment */
    KB_EXPORT_JSON = 6, /**< JSON */
    KB_EXPORT_XLSX = 7, /**< an Excel workbook */
    KB_EXPORT_DOCX = 8, /**< quotes only: a Word document, by theme and level */
    KB_EXPORT_ODT = 9,  /**< quotes only: the same as an OpenDocument text */
    KB_EXPORT_SVG = 10  /**< the matrix as a heat map (kb_matrix_write only) */
} kb_export_format;

/** Parses "text", "csv", "tsv", "md", "html", "json", "xlsx", "docx",
 * "odt", "svg"; 0 if none. */
kb_export_format kb_export_format_parse(const char *name);

/** Options for kb_quotes_write, kb_matrix_write and kb_report_write.
 * Initialise with KB_EXPORT_OPTIONS_INIT. */
typedef struct kb_export_options {
    unsigned version;        /**< KB_EXPORT_OPTIONS_VERSION */
    kb_export_format format; /**< KB_EXPORT_TEXT by default */
    int bom;                 /**< csv, tsv: a UTF-8 byte order mark first */
    char delimiter;          /**< csv: ',' (0 too) or ';' (Swedish Excel) */
    /** Quotes longer than this many words are shortened around their
     * match (kb_quote_excerpt); 0 keeps them whole. */
    size_t max_words;
    const char *rows, *cols; /**< matrix axes; NULL: "theme", "level" */
    kb_count_kind count;     /**< what a matrix cell counts */
    int quotes; /**< matrix: each cell with its quotes (html, json, xlsx) */
    const char *lang;  /**< words people read: "sv" (NULL) or "en" */
    const char *title; /**< report: the page's title; NULL: the codebook's
                            name */
    /** Quote tables: the columns, comma-separated ids in the order given
     * ("document,concept_label,text"; docs/exports.md names them all);
     * NULL: the default set of the format. */
    const char *columns;
    /** Report: memos (kb_project_memos) shown in the page: those on codes
     * under their code in the codebook's tree (those at a facet value
     * headed by the value's label), those on the project, dated, in a
     * section of their own; NULL: none. */
    const kb_memo_list *memos;
    /** Matrix of two code axes: the units it counts co-occurrence in. */
    kb_matrix_unit unit;
    /** Co-occurrence matrix: the cells of tables and of the SVG heat map
     * show the Jaccard index instead of the count (JSON gives both). */
    int jaccard;
    /** csv, tsv (version 3): a cell that begins with =, +, -, @, a tab or
     * a carriage return and is not a plain number, which a spreadsheet may
     * read as a formula, is written with a ' first (OWASP's advice on CSV
     * injection). Without it such cells are written as they are and
     * `notice` is told once per file how many there are. */
    int safe_csv;
    kb_notice_fn notice; /**< notices (version 3); NULL: none */
    void *ctx;           /**< passed to notice */
} kb_export_options;

#define KB_EXPORT_OPTIONS_VERSION 3
#define KB_EXPORT_OPTIONS_INIT                                                 \
    {                                                                          \
        KB_EXPORT_OPTIONS_VERSION, KB_EXPORT_TEXT, 0, 0, 0, NULL, NULL,        \
            KB_COUNT_QUOTES, 0, NULL, NULL, NULL, NULL, KB_UNIT_SEGMENT, 0, 0, \
            NULL, NULL                                                         \
    }

/**
 * Writes quotes as a table, one row per quote in list order, with the
 * columns opts->columns names, or by default: document, case, one column
 * per case attribute (attr:NAME), speaker, role, time, start, end,
 * dimension, dimension_label, theme, theme_label, concept, concept_label,
 * one column per facet named by its id, source, coder, memo, text (the
 * text format: fewer; docs/exports.md). Headers are those names in csv,
 * tsv and json, and words in opts->lang for people. XLSX is a workbook
 * with a Quotes sheet, built in a temporary file and copied to `out`.
 * DOCX and ODT are a document to paste into a manuscript, built in memory
 * and written to `out`: opts->title (NULL: "Citat"), what it shows
 * counted, the theme × level overview, then the quotes grouped as
 * kb_slides_write groups them (a heading per theme and level, or per theme
 * when the list has no facet "level"; each first-order concept a heading
 * below it), each quote followed by its case, speaker, time and coders and
 * its memo below it, the text as stored (or shortened by max_words).
 * @param out  the stream to write to; not closed
 * @return 0, KB_EINVAL (bad options; an unknown column, with the nearest
 *         name; columns for a document; more rows than an XLSX sheet
 *         holds; a list read with counts_only), KB_ENOMEM, KB_EIO (writing
 *         failed).
 */
int kb_quotes_write(FILE *out, const kb_quote_list *quotes,
                    const kb_export_options *opts, kb_error *err);

/**
 * kb_quotes_write of the quotes of `pages`, read a document at a time, so
 * that a table of any number of quotes holds one document's in memory (the
 * text format reads them twice, to measure its columns; DOCX and ODT,
 * grouped across documents, read them all at once). The same bytes as
 * kb_quotes_write of their whole list.
 */
int kb_quotes_write_pages(FILE *out, kb_quote_pages *pages,
                          const kb_export_options *opts, kb_error *err);

/**
 * Counts the quotes by two axes (kb_matrix_build with opts->rows, ->cols
 * and ->count) and writes the matrix with its row and column totals:
 * labels and "Totalt" for people (text, md, html, xlsx), ids for data
 * (csv, tsv), and in JSON one object per cell plus the totals; KB_EXPORT_SVG
 * draws the cells as a heat map. With two code axes the matrix counts
 * co-occurrence in opts->unit (kb_matrix_build_units): JSON cells carry
 * their Jaccard index too, and opts->jaccard puts it in the tables' and
 * the heat map's cells instead of the count. With
 * opts->quotes, each cell carries its quotes: in JSON as a list, in HTML
 * as a link to them, in XLSX as a link into a Quotes sheet. Without
 * opts->quotes, a list read with counts_only is enough, and much quicker.
 * @param out  the stream to write to; not closed
 * @return 0, KB_EINVAL (an unknown axis, quotes in another format or from
 *         a list read with counts_only, DOCX or ODT, jaccard without two
 *         code axes, bad options), KB_ENOMEM, KB_EIO.
 */
int kb_matrix_write(FILE *out, const kb_quote_list *quotes,
                    const kb_export_options *opts, kb_error *err);

/**
 * Writes one self-contained HTML page (inline CSS, no scripts, nothing
 * fetched): the matrix of opts->rows by opts->cols, each non-empty cell
 * linking to its quotes listed below it under their first-order concepts,
 * and the codebook's tree (dimensions, themes, concepts, their
 * descriptions and quotes, then the facets). opts->format is not used.
 * @param cb   the codebook of the tree, or NULL for a page without it
 * @return 0, KB_EINVAL, KB_ENOMEM, KB_EIO.
 */
int kb_report_write(FILE *out, const kb_quote_list *quotes,
                    const kb_codebook *cb, const kb_export_options *opts,
                    kb_error *err);

/**
 * kb_report_write of the quotes of `pages`, read a document at a time: the
 * same page, holding no more than a document's quotes and the matrix in
 * memory (the cells' quotes gathered in a scratch file past a few
 * megabytes) when the matrix counts by code, facet value or document
 * (kb_matrix_groupable); any other reads the whole list.
 */
int kb_report_write_pages(FILE *out, kb_quote_pages *pages,
                          const kb_codebook *cb, const kb_export_options *opts,
                          kb_error *err);

/* ------------------------------------------------------------------------ */
/* Words and keyness, suggested rules (docs/analysis.md)                     */
/* ------------------------------------------------------------------------ */

/** The roles of kb_word_selection.roles: 1u << KB_ROLE_RESPONDENT, ... */
#define KB_ROLES_ALL                                                           \
    ((1u << KB_ROLE_NONE) | (1u << KB_ROLE_RESPONDENT) |                       \
     (1u << KB_ROLE_INTERVIEWER))

/**
 * Which text words are counted in. With a code filter in `filter`
 * (dimension, theme, concept, facet, source or coder) the text is that of
 * the quotes kb_project_quotes gives, each stretch of text counted once
 * however many quotes cover it; without one, the whole text of the current
 * versions of the documents the rest of `filter` chooses (document, case,
 * case attribute: of the turns whose speaker is that case). Either way only
 * the turns (quotes) of speakers whose role is in `roles`.
 */
typedef struct kb_word_selection {
    kb_quote_filter filter; /**< zero: everything */
    unsigned roles;         /**< bits 1u << kb_role; 0: respondents only */
} kb_word_selection;

/** Keyness of a word in one selection against another (docs/analysis.md,
 * "Words and keyness"): a and b its frequencies, c and d the selections'
 * sizes in words. */
typedef struct kb_keyness {
    double g2;        /**< log-likelihood G² (two-cell, Rayson & Garside) */
    double log_ratio; /**< log2 of the ratio of relative frequencies, a 0
                           frequency counted as 0.5 (Hardie's Log Ratio) */
    double pct_diff;  /**< %DIFF: 100 (a/c - b/d) / (b/d); NAN when b = 0 */
    double bic;       /**< the Bayes factor approximation G² - ln(c + d) */
    int sign;         /**< +1 more frequent in the selection, -1 less, 0 as
                           frequent */
    double p;         /**< 0.001, 0.01 or 0.05: the smallest level G² passes
                           (χ² with one degree of freedom: 10.83, 6.63,
                           3.84); 1 if none */
} kb_keyness;

/** Fills `out` for frequencies a (selection) and b (reference) out of
 * c and d words. */
void kb_keyness_compute(kb_keyness *out, double a, double b, double c,
                        double d);

/** Options for kb_project_words. Initialise with KB_WORDS_OPTIONS_INIT. */
typedef struct kb_words_options {
    unsigned version;      /**< KB_WORDS_OPTIONS_VERSION */
    kb_word_selection sel; /**< the words counted */
    /** The reference keyness is computed against, or NULL for none. */
    const kb_word_selection *ref;
    /** 1: the reference is the rest of the documents' text (the same
     * roles as `sel`) outside `sel`; `ref` is then ignored. */
    int ref_rest;
    const char *stop_path; /**< a stop-word file (one word a line, # starts
                                a comment), NULL for the Swedish list kodbok
                                ships */
    int no_stop;           /**< list every word */
    size_t min;            /**< leave out words seen fewer times (in the
                                selection and the reference together) */
    size_t top;            /**< at most this many rows; 0: all */
} kb_words_options;

#define KB_WORDS_OPTIONS_VERSION 1
#define KB_WORDS_OPTIONS_INIT                                                  \
    {                                                                          \
        KB_WORDS_OPTIONS_VERSION, {{0}, 0}, NULL, 0, NULL, 0, 0, 0             \
    }

/** One word of a kb_word_table. Borrowed from the table. */
typedef struct kb_word_row {
    const char *word;     /**< folded to lower case */
    size_t count;         /**< in the selection */
    double per_10k;       /**< per 10,000 words of the selection */
    size_t documents;     /**< documents of the selection it occurs in */
    size_t ref_count;     /**< with a reference: in it */
    double ref_per_10k;   /**< per 10,000 words of the reference */
    size_t ref_documents; /**< documents of the reference it occurs in */
    kb_keyness k;         /**< with a reference; zero without */
} kb_word_row;

typedef struct kb_word_table kb_word_table;

/**
 * Word frequencies of a selection: a word is a run of letters, digits and
 * marks (as a quote's word count), folded to lower case; runs of digits
 * alone are not words. Stop words are counted in the selection's size but
 * not listed. Rows are by count (ties by word), or with a reference by G²
 * (over- and under-used words alike, `sign` telling which).
 * @return 0, KB_ENORUN (a code filter and no runs yet), KB_ENOENT (an
 *         unknown document, run or coder; no stop-word file), KB_EFORMAT
 *         (a stop-word file that is not UTF-8: file and line), KB_EINVAL,
 *         KB_EDB, KB_ENOMEM.
 */
int kb_project_words(kb_word_table **out, kb_project *p,
                     const kb_words_options *opts, kb_error *err);
size_t kb_word_table_count(const kb_word_table *t);
const kb_word_row *kb_word_table_get(const kb_word_table *t, size_t i);
/** Words (tokens) in the selection (`ref` 0) or the reference (`ref` 1). */
size_t kb_word_table_tokens(const kb_word_table *t, int ref);
/** 1 when the table has a reference (keyness columns). */
int kb_word_table_keyness(const kb_word_table *t);
void kb_word_table_free(kb_word_table *t);

/**
 * Writes a word table in opts->format: word, count, per_10000, documents,
 * and with a reference ref_count, ref_per_10000, ref_documents, g2, p
 * ("*", "**", "***" for 0.05, 0.01, 0.001), log_ratio, pct_diff, bic and
 * use ("+" over-used in the selection, "-" under-used). Ids as headers in
 * csv, tsv and json (numbers as numbers), words in opts->lang for people.
 * @return 0, KB_EINVAL (bad options), KB_ENOMEM, KB_EIO.
 */
int kb_words_write(FILE *out, const kb_word_table *t,
                   const kb_export_options *opts, kb_error *err);

/**
 * Writes a word table as a horizontal bar chart (SVG 1.1, black on white,
 * for print): a bar per row in table order, its length the count, or with a
 * reference G² (over-used words dark, under-used ones light), the value at
 * its end. opts->lang and opts->title are used.
 * @return 0, KB_EINVAL, KB_ENOMEM, KB_EIO.
 */
int kb_words_chart_write(FILE *out, const kb_word_table *t,
                         const kb_export_options *opts, kb_error *err);

/** Options for kb_project_suggest. Initialise with KB_SUGGEST_OPTIONS_INIT. */
typedef struct kb_suggest_options {
    unsigned version;      /**< KB_SUGGEST_OPTIONS_VERSION */
    const char *concept;   /**< the concept, an id of the run's codebook */
    const char *gold;      /**< the coder whose codings are learnt from */
    int64_t run;           /**< the codebook of this run; 0: the last */
    kb_segment_kind unit;  /**< the units, as kb_project_eval's; 0: sentences */
    size_t folds;          /**< k-fold by document (2 or more), 0: none */
    size_t top;            /**< candidates listed; 0: 20 */
    const char *stop_path; /**< as kb_words_options */
    kb_notice_fn notice;
    void *ctx;
} kb_suggest_options;

#define KB_SUGGEST_OPTIONS_VERSION 1
#define KB_SUGGEST_OPTIONS_INIT                                                \
    {                                                                          \
        KB_SUGGEST_OPTIONS_VERSION, NULL, NULL, 0, (kb_segment_kind)0, 0, 0,   \
            NULL, NULL, NULL                                                   \
    }

/** A proposed pattern, or the combined rule. Borrowed from the report. */
typedef struct kb_suggestion {
    const char *pattern; /**< in the codebook's pattern language; the
                              combined rule: its patterns joined by "\n" */
    const char *kind;    /**< "word", "stem", "phrase" or "combined" */
    size_t in_units;     /**< occurrences in the coder's units */
    size_t elsewhere;    /**< occurrences in the other units */
    double g2;           /**< keyness of the word(s), positive units against
                              the others; 0 for the combined rule */
    kb_eval_scores s;    /**< against the coder on every unit */
    /** With folds: the held-out scores, summed over the folds, of this
     * pattern where learning without the fold proposed it (elsewhere it
     * finds nothing there), and how many folds proposed it; for the
     * combined rule, each fold's own combined rule. */
    kb_eval_scores held;
    size_t folds_found;
    kb_eval_scores train; /**< with folds: the same on the folds learnt on */
} kb_suggestion;

typedef struct kb_suggest_report kb_suggest_report;

/**
 * Proposes patterns for a concept from a coder's manual codings of it, on
 * the units kb_project_eval scores (the coder's documents, the concept's
 * speakers): the words, stems and two-word phrases most over-used in the
 * units the coder coded against the rest (G², kb_keyness_compute), each
 * matched by the engine with the concept's scope, speakers, case rule and
 * excludes, and scored against the coder on every unit; then a combined
 * rule, the candidates added greedily while F1 rises. Candidates are
 * sorted by F1. With `folds`, the documents are cut into that many folds
 * and each is scored with what was learnt on the others.
 * @return 0, KB_ENORUN, KB_ENOENT (an unknown concept or coder, with the
 *         nearest; a coder with no codings of the concept), KB_EINVAL,
 *         KB_EDB, KB_ENOMEM.
 */
int kb_project_suggest(kb_suggest_report **out, kb_project *p,
                       const kb_suggest_options *opts, kb_error *err);
size_t kb_suggest_report_count(const kb_suggest_report *r);
const kb_suggestion *kb_suggest_report_get(const kb_suggest_report *r,
                                           size_t i);
/** The combined rule (pattern NULL when no candidate scores). */
const kb_suggestion *kb_suggest_report_combined(const kb_suggest_report *r);
/** Units scored and how many the coder coded. */
size_t kb_suggest_report_units(const kb_suggest_report *r, size_t *positives);
void kb_suggest_report_free(kb_suggest_report *r);

/** The formats of kb_suggest_write. */
typedef enum kb_suggest_format {
    KB_SUGGEST_TEXT = 1, /**< a table, then the YAML snippet */
    KB_SUGGEST_JSON = 2,
    KB_SUGGEST_YAML = 3 /**< the snippet alone, to paste under the concept */
} kb_suggest_format;

/**
 * Writes a suggestion report: the candidates with their P/R/F1 (and
 * held-out figures with folds), the combined rule, and a YAML `patterns:`
 * list of the combined rule ready to paste under the concept.
 * @return 0, KB_EINVAL (an unknown format), KB_EIO.
 */
int kb_suggest_write(FILE *out, const kb_suggest_report *r,
                     kb_suggest_format format, kb_error *err);

/* ------------------------------------------------------------------------ */
/* The pattern playground: a concept's rule tried with other patterns        */
/* ------------------------------------------------------------------------ */

/** Options for kb_project_try. Initialise with KB_TRY_OPTIONS_INIT. */
typedef struct kb_try_options {
    unsigned version;            /**< KB_TRY_OPTIONS_VERSION */
    const char *concept;         /**< an id of the run's codebook */
    const char *const *patterns; /**< replace the concept's patterns */
    size_t npatterns;
    /** The coder to score against, or NULL for no scores. */
    const char *coder;
    /** With `coder`: when that coder has no codings of the concept, score
     * against the coder with most codings of it (none: no scores). */
    int coder_fallback;
    int64_t run;          /**< the codebook of this run; 0: the last */
    kb_segment_kind unit; /**< the units, as kb_project_eval's; 0: sentences */
    size_t sample;        /**< the first hits whose text is kept */
    kb_notice_fn notice;  /**< limit hits */
    void *ctx;
} kb_try_options;

#define KB_TRY_OPTIONS_VERSION 1
#define KB_TRY_OPTIONS_INIT                                                    \
    {                                                                          \
        KB_TRY_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, 0, (kb_segment_kind)0, \
            0, NULL, NULL                                                      \
    }

/** A quote the tried rule makes. Borrowed from the report. */
typedef struct kb_try_hit {
    const char *document;
    size_t start, end; /**< code points: the quote's segment */
    const char *text;  /**< the segment's text (NUL-terminated) within the
                            sample, else NULL */
} kb_try_hit;

typedef struct kb_try_report kb_try_report;

/**
 * Tries patterns for a concept: the concept of the run's codebook with its
 * patterns replaced and every other setting kept (scope, speakers, case
 * rule, excludes) is matched by the engine over every current document, so
 * its hits are the quotes a run with that rule would make. With a coder
 * who has codings of the concept, the hits are scored against them as
 * kb_project_eval scores a run (the same units, tp, fp, fn).
 * @return 0; KB_EFORMAT for a bad pattern (argument "patterns", err.line
 *         the pattern's index + 1, err.column the code point in it where
 *         the error is: an invalid regex, one that can match the empty
 *         string, a control character); KB_ENORUN; KB_ENOENT (an unknown
 *         concept or coder, with the nearest); KB_EINVAL, KB_EDB,
 *         KB_ENOMEM.
 */
int kb_project_try(kb_try_report **out, kb_project *p,
                   const kb_try_options *opts, kb_error *err);
/** The hits, in document (name) order, then by position. */
size_t kb_try_report_count(const kb_try_report *r);
const kb_try_hit *kb_try_report_get(const kb_try_report *r, size_t i);
/** Documents with a hit. */
size_t kb_try_report_documents(const kb_try_report *r);
/** The coder scored against, or NULL. */
const char *kb_try_report_coder(const kb_try_report *r);
/** The scores against the coder, or NULL without; *units (if not NULL) is
 * the units they are counted on. */
const kb_eval_scores *kb_try_report_scores(const kb_try_report *r,
                                           size_t *units);
void kb_try_report_free(kb_try_report *r);

/**
 * Replaces a concept's patterns in a codebook file as a minimal edit: only
 * the bytes of its `patterns` value change (or of its `pattern`, which
 * becomes `patterns`; a concept without either gains a `patterns` line),
 * written in the file's style (a block list or a flow list) with every
 * pattern single-quoted; comments, key order, quoting and layout of
 * everything else stay. The result is loaded as a codebook before it
 * replaces the file (one rename), so a failure leaves the file as it was.
 * No patterns makes the concept manual-only (an empty list).
 * @return 0; KB_ENOENT (no such file or concept, with the nearest);
 *         KB_EFORMAT (the file, or the result, does not load: file:line:col);
 *         KB_EINVAL (a pattern over several lines); KB_EIO, KB_ENOMEM.
 */
int kb_codebook_set_patterns(const char *path, const char *concept,
                             const char *const *patterns, size_t npatterns,
                             kb_error *err);

/* ------------------------------------------------------------------------ */
/* REFI-QDA exchange (docs/refi-qda.md)                                      */
/* ------------------------------------------------------------------------ */

/*
 * REFI-QDA is the exchange standard of NVivo, MAXQDA, ATLAS.ti, QualCoder
 * and others: codebooks (.qdc, Codebook.xsd 1.0) and projects (.qdpx, a zip
 * of project.qde, Project.xsd 1.0, and the sources). Every GUID kodbok
 * writes is derived from what it names (a version 5 UUID), so exporting the
 * same project twice gives the same file.
 */

/** Options for kb_codebook_write_qdc. Initialise with KB_QDC_OPTIONS_INIT. */
typedef struct kb_qdc_options {
    unsigned version; /**< KB_QDC_OPTIONS_VERSION */
} kb_qdc_options;

#define KB_QDC_OPTIONS_VERSION 1
#define KB_QDC_OPTIONS_INIT                                                    \
    {                                                                          \
        KB_QDC_OPTIONS_VERSION                                                 \
    }

/**
 * Writes a codebook as a REFI-QDA codebook (.qdc): dimensions and themes as
 * codes that cannot be coded, holding their themes and concepts, facets
 * likewise holding their values, each code's description followed by its
 * rules in a `kodbok:` block (patterns, exclude, scope, speakers, caseless,
 * former id), and the codebook's name in a set (docs/refi-qda.md).
 * @param out   the stream to write to; not closed
 * @param opts  NULL for the defaults
 * @return 0, KB_EINVAL (a codebook without codes, options of an unknown
 *         version), KB_ENOMEM, KB_EIO.
 */
int kb_codebook_write_qdc(FILE *out, const kb_codebook *cb,
                          const kb_qdc_options *opts, kb_error *err);

/** How the sources of a written project end their lines. */
typedef enum kb_line_ends {
    KB_LINE_ENDS_LF = 0,  /**< as stored: positions count each LF as one */
    KB_LINE_ENDS_CRLF = 1 /**< CRLF, as Windows tools count: positions count
                               each CRLF as two */
} kb_line_ends;

/** Options for kb_project_write_qdpx. Initialise with KB_QDPX_OPTIONS_INIT. */
typedef struct kb_qdpx_options {
    unsigned version;       /**< KB_QDPX_OPTIONS_VERSION */
    kb_line_ends line_ends; /**< of the source texts and their positions */
    const char *name;       /**< the project's name; NULL: the project
                                 file's name without its extension */
} kb_qdpx_options;

#define KB_QDPX_OPTIONS_VERSION 1
#define KB_QDPX_OPTIONS_INIT                                                   \
    {                                                                          \
        KB_QDPX_OPTIONS_VERSION, KB_LINE_ENDS_LF, NULL                         \
    }

/**
 * Writes the project as a REFI-QDA project (.qdpx) at `path`: a user per
 * coder and one for the rules, the last run's codebook (as
 * kb_codebook_write_qdc writes it; none before the first run), the case
 * attributes as text variables, the cases with their values and documents,
 * each document's current text as a source in UTF-8, every automatic quote
 * of the last run (kb_project_quotes, source "auto") under the rules' user
 * and every placed manual coding under its coder, as selections counted in
 * code points, end exclusive, with their facet values, and the memos as
 * notes (docs/refi-qda.md). Written beside `path` and renamed over it when
 * complete, so a failure leaves `path` as it was. Read-only on the project.
 * @param opts  NULL for the defaults
 * @return 0, KB_EINVAL (bad options), KB_EIO, KB_ENOMEM, KB_EDB.
 */
int kb_project_write_qdpx(kb_project *p, const char *path,
                          const kb_qdpx_options *opts, kb_error *err);

/* ------------------------------------------------------------------------ */
/* Coders' tokens (a server shared by a team)                               */
/* ------------------------------------------------------------------------ */

/** A coder's access token: this many hex digits (128 random bits). */
#define KB_TOKEN_LEN 32

/**
 * Gives `coder` a new access token for a server the team shares, in place
 * of the one the coder had (which stops working). The project keeps only
 * the token's SHA-256: the token is in `token` now and cannot be read back.
 * @param[out] token     the token, KB_TOKEN_LEN hex digits and a NUL
 * @param[out] replaced  1 if the coder had a token, else 0; NULL is fine
 * @return 0, KB_EINVAL (`coder` empty or with a control character), KB_EIO
 *         (no random numbers), KB_ENOMEM, KB_EDB.
 */
int kb_coder_token_new(char token[KB_TOKEN_LEN + 1], int *replaced,
                       kb_project *p, const char *coder, kb_error *err);

/**
 * Removes `coder`'s token: it stops working at once.
 * @return 0, KB_ENOENT (the coder has no token), KB_EDB.
 */
int kb_coder_token_remove(kb_project *p, const char *coder, kb_error *err);

/**
 * The coder whose token `token` is, found by its SHA-256. Read-only.
 * @param[out] coder  the coder (free with free()), NULL when no coder has
 *                    this token
 * @return 0, KB_ENOMEM, KB_EDB.
 */
int kb_coder_token_find(char **coder, kb_project *p, const char *token,
                        kb_error *err);

/** One coder with a token and when it was made (UTC, ISO 8601); a non-zero
 * return stops the listing. */
typedef int (*kb_token_coder_fn)(void *ctx, const char *coder,
                                 const char *created);

/**
 * Calls `fn` once for every coder with a token, by name; never gives the
 * tokens (the project has only their hashes). Read-only.
 * @return 0, fn's non-zero return, KB_EDB.
 */
int kb_project_token_coders(kb_project *p, kb_token_coder_fn fn, void *ctx,
                            kb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* KODBOK_H */
