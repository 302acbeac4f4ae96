#ifndef NS_BLAS_H
#define NS_BLAS_H

/* OpenBLAS, loaded with dlopen on first use so that processes that never multiply a matrix (every task try
   of a non-training DAG, the scheduler, the CLI) do not pay for loading it and starting its thread pool. */

/* NULL once libopenblas.so.0 is loaded; otherwise the reason it could not be (dlerror's text). */
const char *ns_blas_load_error(void);

/* Row-major C = alpha * op(A) * op(B) + beta * C, as cblas_sgemm(CblasRowMajor, ...).
   transpose_a/transpose_b: 0 for op(X) = X, 1 for op(X) = X^T. Traps if the library is not loaded. */
void ns_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
              const float *b, int ldb, float beta, float *c, int ldc);

/* openblas_set_num_threads / openblas_get_num_threads. */
void ns_blas_set_threads(int count);
int ns_blas_threads(void);

#endif
