/*
 * kbsql: runs one SQL statement on a project the way kodbok opens it, so
 * that the tables only kodbok's connections have (`codings` and
 * `coding_facets`, read from the packs) can be queried by the CLI tests.
 * Prints each row with its columns joined by '|' and NULL as nothing, as
 * `sqlite3 -batch` does.
 * Usage: kbsql PROJECT SQL
 */
#include "store/schema.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: kbsql PROJECT SQL\n");
        return 2;
    }
    sqlite3 *db;
    kb_error err;
    int ro;
    if (kbi_schema_open(&db, argv[1], 0, &ro, &err)) {
        fprintf(stderr, "kbsql: %s\n", err.message);
        return 1;
    }
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(db, argv[2], -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "kbsql: %s\n", sqlite3_errmsg(db));
        rc = 1;
    } else {
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                const unsigned char *v = sqlite3_column_text(st, i);
                printf("%s%s", i ? "|" : "", v ? (const char *)v : "");
            }
            putchar('\n');
        }
        if (step != SQLITE_DONE) {
            fprintf(stderr, "kbsql: %s\n", sqlite3_errmsg(db));
            rc = 1;
        }
        sqlite3_finalize(st);
    }
    kbi_store_close(db);
    return rc;
}
