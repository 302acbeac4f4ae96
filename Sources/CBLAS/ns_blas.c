#include "ns_blas.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* The CBLAS enum values (cblas.h): row-major 101, no-transpose 111, transpose 112. */
enum { NS_ROW_MAJOR = 101, NS_NO_TRANS = 111, NS_TRANS = 112 };

typedef struct {
    void *handle;
    const char *error;
    void (*sgemm)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
    void (*set_threads)(int);
    int (*get_threads)(void);
} ns_blas_api;

static ns_blas_api ns_blas_table;
static pthread_once_t ns_blas_once = PTHREAD_ONCE_INIT;

static void ns_blas_load(void) {
    void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) { ns_blas_table.error = dlerror(); return; }
    ns_blas_table.sgemm = (void (*)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                                    float *, int))dlsym(h, "cblas_sgemm");
    ns_blas_table.set_threads = (void (*)(int))dlsym(h, "openblas_set_num_threads");
    ns_blas_table.get_threads = (int (*)(void))dlsym(h, "openblas_get_num_threads");
    if (!ns_blas_table.sgemm || !ns_blas_table.set_threads || !ns_blas_table.get_threads) {
        ns_blas_table.error = "libopenblas.so.0 lacks cblas_sgemm or openblas_set_num_threads";
        return;
    }
    ns_blas_table.handle = h;
}

static const ns_blas_api *ns_blas(void) {
    pthread_once(&ns_blas_once, ns_blas_load);
    if (!ns_blas_table.handle) {
        fprintf(stderr, "nightshift: OpenBLAS could not be loaded (%s); install libopenblas0 (apt-get install libopenblas-dev)\n",
                ns_blas_table.error ? ns_blas_table.error : "unknown reason");
        abort();
    }
    return &ns_blas_table;
}

const char *ns_blas_load_error(void) {
    pthread_once(&ns_blas_once, ns_blas_load);
    return ns_blas_table.handle ? NULL : (ns_blas_table.error ? ns_blas_table.error : "unknown reason");
}

void ns_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
              const float *b, int ldb, float beta, float *c, int ldc) {
    ns_blas()->sgemm(NS_ROW_MAJOR, transpose_a ? NS_TRANS : NS_NO_TRANS, transpose_b ? NS_TRANS : NS_NO_TRANS, m, n, k,
                     alpha, a, lda, b, ldb, beta, c, ldc);
}

void ns_blas_set_threads(int count) { ns_blas()->set_threads(count); }
int ns_blas_threads(void) { return ns_blas()->get_threads(); }
