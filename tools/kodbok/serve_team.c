/*
 * serve_team.c: kodbok serve for a team (docs/web.md, "Team mode"): the
 * coders' tokens (--add-coder, --remove-coder, --coders) on kodbok.h's
 * kb_coder_token_*, the address --listen names and the names a request's
 * Host header may give for it, a request's coder found from its token, and
 * the TLS certificate and key read and checked (GnuTLS) before
 * libmicrohttpd is given them.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

int team_address(serve_address *a, const char *text)
{
    memset(a, 0, sizeof *a);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&a->sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->sa;
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        uint32_t ip = ntohl(v4->sin_addr.s_addr);
        a->loopback = ip >> 24 == 127;
        a->wildcard = ip == INADDR_ANY;
        snprintf(a->name, sizeof a->name, "%s", text);
    } else if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        a->ipv6 = 1;
        a->loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
        a->wildcard = IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr);
        snprintf(a->name, sizeof a->name, "[%s]", text);
    } else {
        return -1;
    }
    return 0;
}

void team_address_port(serve_address *a, unsigned port)
{
    if (a->ipv6)
        ((struct sockaddr_in6 *)&a->sa)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)&a->sa)->sin_port = htons((uint16_t)port);
}

/* Adds "NAME:PORT" to the names the Host header may give; -1 if out of
 * memory. */
static int host_add(server *s, const char *name, const char *port)
{
    char **grown = realloc(s->hosts, (s->nhosts + 1) * sizeof *grown);
    if (!grown)
        return -1;
    s->hosts = grown;
    size_t n = strlen(name) + strlen(port) + 2;
    if (!(s->hosts[s->nhosts] = malloc(n)))
        return -1;
    snprintf(s->hosts[s->nhosts++], n, "%s:%s", name, port);
    return 0;
}

/* This computer's addresses of the wildcard's family (both for "::"), as
 * Host headers write them. */
static int hosts_of_interfaces(server *s, int ipv6, const char *port)
{
    struct ifaddrs *all;
    if (getifaddrs(&all))
        return -1;
    int rc = 0;
    for (struct ifaddrs *i = all; i && !rc; i = i->ifa_next) {
        if (!i->ifa_addr)
            continue;
        int family = i->ifa_addr->sa_family;
        char ip[INET6_ADDRSTRLEN], name[INET6_ADDRSTRLEN + 2];
        if (family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr,
                      ip, sizeof ip);
            snprintf(name, sizeof name, "%s", ip);
        } else if (family == AF_INET6 && ipv6) {
            inet_ntop(AF_INET6,
                      &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, ip,
                      sizeof ip);
            snprintf(name, sizeof name, "[%s]", ip);
        } else {
            continue;
        }
        rc = host_add(s, name, port);
    }
    freeifaddrs(all);
    return rc;
}

int team_hosts(server *s, const serve_address *a, const char *dns,
               const char *port)
{
    if (dns && host_add(s, dns, port))
        return -1;
    if (a->wildcard) {
        if (hosts_of_interfaces(s, a->ipv6, port))
            return -1;
    } else if (host_add(s, a->name, port)) {
        return -1;
    }
    return a->loopback ? host_add(s, "localhost", port) : 0;
}

void team_hosts_free(server *s)
{
    for (size_t i = 0; i < s->nhosts; i++)
        free(s->hosts[i]);
    free(s->hosts);
    s->hosts = NULL;
    s->nhosts = 0;
}

/* Prints one coder of kb_project_token_coders. */
static int print_coder(void *ctx, const char *coder, const char *created)
{
    ++*(size_t *)ctx;
    printf("%s\t%s\n", coder, created);
    return 0;
}

/* Counts one coder of kb_project_token_coders. */
static int count_coder(void *ctx, const char *coder, const char *created)
{
    (void)coder;
    (void)created;
    ++*(size_t *)ctx;
    return 0;
}

int team_coders(size_t *n, kb_project *p, int print)
{
    kb_error err;
    *n = 0;
    int rc =
        kb_project_token_coders(p, print ? print_coder : count_coder, n, &err);
    return rc ? cli_fail(&err) : 0;
}

int team_coder_add(kb_project *p, const char *coder, const char *base)
{
    char token[KB_TOKEN_LEN + 1];
    int replaced;
    kb_error err;
    if (kb_coder_token_new(token, &replaced, p, coder, &err))
        return cli_fail(&err);
    if (replaced)
        printf("kodbok: %s had a token: it no longer works\n", coder);
    printf("kodbok: %s's link: %s?token=%s\n", coder, base, token);
    return 0;
}

int team_coder_remove(kb_project *p, const char *coder)
{
    kb_error err;
    if (kb_coder_token_remove(p, coder, &err))
        return cli_fail(&err);
    printf("kodbok: %s's token removed: it no longer works\n", coder);
    return 0;
}

int serve_same_secret(const char *given, const char *secret)
{
    if (!given)
        return 0;
    size_t n = strlen(secret);
    if (strlen(given) != n)
        return 0;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ secret[i]);
    return !diff;
}

char *team_coder_of(const server *s, const char *const given[3], int *which,
                    int *failed)
{
    *failed = 0;
    *which = -1;
    if (!s->team) {
        for (int i = 0; i < 3; i++)
            if (serve_same_secret(given[i], s->token)) {
                *which = i;
                return strdup(s->own_coder ? s->own_coder : "");
            }
        return NULL;
    }
    kb_project *p;
    kb_error err;
    if (kb_project_open(&p, s->project, &err)) {
        *failed = 1;
        return NULL;
    }
    char *coder = NULL;
    for (int i = 0; i < 3 && !coder && !*failed; i++) {
        if (!given[i] || strlen(given[i]) != KB_TOKEN_LEN)
            continue;
        if (kb_coder_token_find(&coder, p, given[i], &err))
            *failed = 1;
        else if (coder)
            *which = i;
    }
    kb_project_free(p);
    return coder;
}

/* The whole of file `path`, NUL-terminated, in *out (caller frees); prints
 * why not and returns an exit code. */
static int read_pem(char **out, const char *path)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_errorf("%s: %s", path, strerror(errno));
        return EXIT_INPUT;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4096 + 1 > cap) {
            char *grown = realloc(buf, cap = 2 * cap + 4096 + 1);
            if (!grown) {
                free(buf);
                fclose(f);
                cli_errorf("%s: out of memory", path);
                return EXIT_INTERNAL;
            }
            buf = grown;
        }
        got = fread(buf + len, 1, 4096, f);
        len += got;
    } while (got == 4096 && len < SERVE_PEM_MAX);
    int failed = ferror(f);
    fclose(f);
    if (failed || len >= SERVE_PEM_MAX) {
        cli_errorf("%s: %s", path,
                   failed ? "could not be read" : "too large for a PEM file");
        free(buf);
        return EXIT_INPUT;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

int team_tls_load(char **cert, char **key, const char *cert_path,
                  const char *key_path)
{
    *cert = *key = NULL;
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        cli_errorf("this libmicrohttpd was built without TLS (GnuTLS): "
                   "--cert and --key cannot be used");
        return EXIT_INTERNAL;
    }
    int rc = read_pem(cert, cert_path);
    if (rc || (rc = read_pem(key, key_path)))
        goto fail;
    gnutls_datum_t cd = {(unsigned char *)*cert, (unsigned)strlen(*cert)};
    gnutls_datum_t kd = {(unsigned char *)*key, (unsigned)strlen(*key)};
    gnutls_x509_crt_t crt[8];
    unsigned ncrt = 8;
    int e =
        gnutls_x509_crt_list_import(crt, &ncrt, &cd, GNUTLS_X509_FMT_PEM, 0);
    if (e < 0) {
        cli_errorf("%s: not a PEM certificate (%s)", cert_path,
                   gnutls_strerror(e));
        rc = EXIT_INPUT;
        goto fail;
    }
    for (unsigned i = 0; i < ncrt; i++)
        gnutls_x509_crt_deinit(crt[i]);
    gnutls_x509_privkey_t pk;
    if ((e = gnutls_x509_privkey_init(&pk)) >= 0) {
        e = gnutls_x509_privkey_import2(pk, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
        gnutls_x509_privkey_deinit(pk);
    }
    if (e < 0) {
        cli_errorf("%s: not a PEM private key without a passphrase (%s)",
                   key_path, gnutls_strerror(e));
        rc = EXIT_INPUT;
        goto fail;
    }
    gnutls_certificate_credentials_t cred;
    if ((e = gnutls_certificate_allocate_credentials(&cred)) >= 0) {
        e = gnutls_certificate_set_x509_key_mem(cred, &cd, &kd,
                                                GNUTLS_X509_FMT_PEM);
        gnutls_certificate_free_credentials(cred);
    }
    if (e < 0) {
        cli_errorf("%s: %s (is it the key of %s?)", key_path,
                   gnutls_strerror(e), cert_path);
        rc = EXIT_INPUT;
        goto fail;
    }
    return 0;
fail:
    free(*cert);
    free(*key);
    *cert = *key = NULL;
    return rc;
}
