#include "shim.h"
#include <dlfcn.h>
#include <pthread.h>

typedef struct {
    void *handle;
    const char *error;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLcode (*easy_perform)(CURL *);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} ns_curl_api;

static ns_curl_api ns_curl_table;
static pthread_once_t ns_curl_once = PTHREAD_ONCE_INIT;

static void ns_curl_load(void) {
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_GLOBAL);
    if (!h) h = dlopen("libcurl.so", RTLD_NOW | RTLD_GLOBAL);
    if (!h) { ns_curl_table.error = dlerror(); return; }
    ns_curl_table.global_init = (CURLcode (*)(long))dlsym(h, "curl_global_init");
    ns_curl_table.easy_init = (CURL * (*)(void)) dlsym(h, "curl_easy_init");
    ns_curl_table.easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))dlsym(h, "curl_easy_setopt");
    ns_curl_table.easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))dlsym(h, "curl_easy_getinfo");
    ns_curl_table.easy_perform = (CURLcode (*)(CURL *))dlsym(h, "curl_easy_perform");
    ns_curl_table.easy_cleanup = (void (*)(CURL *))dlsym(h, "curl_easy_cleanup");
    ns_curl_table.easy_reset = (void (*)(CURL *))dlsym(h, "curl_easy_reset");
    ns_curl_table.easy_strerror = (const char *(*)(CURLcode))dlsym(h, "curl_easy_strerror");
    ns_curl_table.slist_append = (struct curl_slist * (*)(struct curl_slist *, const char *)) dlsym(h, "curl_slist_append");
    ns_curl_table.slist_free_all = (void (*)(struct curl_slist *))dlsym(h, "curl_slist_free_all");
    if (!ns_curl_table.global_init || !ns_curl_table.easy_init || !ns_curl_table.easy_setopt || !ns_curl_table.easy_getinfo
        || !ns_curl_table.easy_perform || !ns_curl_table.easy_cleanup || !ns_curl_table.easy_reset || !ns_curl_table.easy_strerror
        || !ns_curl_table.slist_append || !ns_curl_table.slist_free_all) {
        ns_curl_table.error = "libcurl.so.4 lacks an expected symbol";
        return;
    }
    ns_curl_table.handle = h;
}

static const ns_curl_api *ns_curl(void) {
    pthread_once(&ns_curl_once, ns_curl_load);
    return &ns_curl_table;
}

const char *ns_curl_load_error(void) { return ns_curl()->handle ? NULL : ns_curl()->error; }

CURLcode ns_global_init(long flags) { return ns_curl()->handle ? ns_curl()->global_init(flags) : CURLE_FAILED_INIT; }
CURL *ns_easy_init(void) { return ns_curl()->handle ? ns_curl()->easy_init() : NULL; }
CURLcode ns_easy_perform(CURL *h) { return ns_curl()->easy_perform(h); }
void ns_easy_cleanup(CURL *h) { ns_curl()->easy_cleanup(h); }
void ns_easy_reset(CURL *h) { ns_curl()->easy_reset(h); }
const char *ns_easy_strerror(CURLcode c) { return ns_curl()->handle ? ns_curl()->easy_strerror(c) : "libcurl could not be loaded"; }
struct curl_slist *ns_slist_append(struct curl_slist *l, const char *s) { return ns_curl()->slist_append(l, s); }
void ns_slist_free_all(struct curl_slist *l) { ns_curl()->slist_free_all(l); }

CURLcode ns_setopt_long(CURL *h, CURLoption o, long v) { return ns_curl()->easy_setopt(h, o, v); }
CURLcode ns_setopt_string(CURL *h, CURLoption o, const char *v) { return ns_curl()->easy_setopt(h, o, v); }
CURLcode ns_setopt_pointer(CURL *h, CURLoption o, void *v) { return ns_curl()->easy_setopt(h, o, v); }
CURLcode ns_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return ns_curl()->easy_setopt(h, o, v); }
CURLcode ns_setopt_write_function(CURL *h, ns_data_callback cb) { return ns_curl()->easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
CURLcode ns_setopt_header_function(CURL *h, ns_data_callback cb) { return ns_curl()->easy_setopt(h, CURLOPT_HEADERFUNCTION, cb); }
CURLcode ns_getinfo_long(CURL *h, CURLINFO i, long *out) { return ns_curl()->easy_getinfo(h, i, out); }
CURLcode ns_getinfo_double(CURL *h, CURLINFO i, double *out) { return ns_curl()->easy_getinfo(h, i, out); }
CURLcode ns_getinfo_string(CURL *h, CURLINFO i, char **out) { return ns_curl()->easy_getinfo(h, i, out); }
CURLcode ns_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return ns_curl()->easy_setopt(h, o, v); }
CURLcode ns_setopt_xferinfo_function(CURL *h, ns_xferinfo_callback cb) { return ns_curl()->easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
CURLcode ns_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *out) { return ns_curl()->easy_getinfo(h, i, out); }
