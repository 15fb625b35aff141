/*
 * guid.h: the GUIDs kodbok writes into REFI-QDA files, derived from names
 * and never random, so that every export of the same project gives the
 * same GUIDs (docs/refi-qda.md, "GUIDs"): RFC 4122 version 5 UUIDs (SHA-1)
 * in kodbok's namespace, in lower case without braces.
 *
 * May include: base.
 */
#ifndef KBI_EXCHANGE_GUID_H
#define KBI_EXCHANGE_GUID_H

#include <stddef.h>

/* Characters of a GUID as written, without the NUL. */
#define KBI_GUID_LEN 36

/* kodbok's namespace: the version 5 UUID of the URL namespace and
 * "kodbok:refi-qda". */
#define KBI_GUID_NAMESPACE "5c4eadef-03c0-531e-b70c-078176822a2a"

/*
 * Writes into out[KBI_GUID_LEN + 1] the version 5 UUID, in the namespace
 * `ns` (a UUID as text), of the name made of `kind` and `key` joined, e.g.
 * kind "code:" and key "helheten-viktig". Returns 0, or -1 if `ns` is not
 * a UUID or hashing failed (out = "").
 */
int kbi_guid_v5(char out[KBI_GUID_LEN + 1], const char *ns, const char *kind,
                const char *key);

/* kbi_guid_v5 in KBI_GUID_NAMESPACE. */
int kbi_guid(char out[KBI_GUID_LEN + 1], const char *kind, const char *key);

#endif
