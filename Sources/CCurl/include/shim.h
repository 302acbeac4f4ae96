#ifndef NIGHTSHIFT_CCURL_SHIM_H
#define NIGHTSHIFT_CCURL_SHIM_H
#include <curl/curl.h>
#include <stddef.h>

/*
 * libcurl is loaded on first use (dlopen), not linked: linking it pulls ~30 libraries (OpenSSL, GnuTLS, Kerberos,
 * LDAP…) whose initialisers cost every `nightshift` process about 6 ms at start-up, and most processes (task tries,
 * CLI commands) never make an HTTP request. Swift code calls only the ns_* functions below.
 */

/* NULL when libcurl is loaded, else why it could not be. */
const char *ns_curl_load_error(void);
CURLcode ns_global_init(long flags);
CURL *ns_easy_init(void);
CURLcode ns_easy_perform(CURL *h);
void ns_easy_cleanup(CURL *h);
void ns_easy_reset(CURL *h);
const char *ns_easy_strerror(CURLcode c);
struct curl_slist *ns_slist_append(struct curl_slist *l, const char *s);
void ns_slist_free_all(struct curl_slist *l);

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: typed wrappers. */
CURLcode ns_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ns_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode ns_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode ns_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
typedef size_t (*ns_data_callback)(char *, size_t, size_t, void *);
CURLcode ns_setopt_write_function(CURL *h, ns_data_callback cb);
CURLcode ns_setopt_header_function(CURL *h, ns_data_callback cb);
CURLcode ns_getinfo_long(CURL *h, CURLINFO i, long *out);
CURLcode ns_getinfo_double(CURL *h, CURLINFO i, double *out);
CURLcode ns_getinfo_string(CURL *h, CURLINFO i, char **out);
CURLcode ns_setopt_off_t(CURL *h, CURLoption o, curl_off_t v);
typedef int (*ns_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
CURLcode ns_setopt_xferinfo_function(CURL *h, ns_xferinfo_callback cb);
CURLcode ns_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *out);
#endif
