/**
 * Float64 reference for GEMM (STYLE C8), written from the math:
 *
 *   C[i, j] = act( sum_p opA(A)[i, p] * opB(B)[p, j] + beta * C[i, j] + bias[j] )
 *
 * opA(A)[i, p] is A[i * lda + p], or A[p * lda + i] when transA; opB(B)[p, j] is B[p * ldb + j], or
 * B[j * ldb + p] when transB. With beta = 0 the old C is not read (it may hold NaN).
 *
 * @module
 */

/** The activation applied to every output element. */
export type GemmActivation = "none" | "relu" | "sigmoid" | "tanh";

/** One GEMM problem in float64; matrices row-major with leading dimensions in elements. */
export interface GemmReferenceArgs {
  m: number;
  n: number;
  k: number;
  a: ArrayLike<number>;
  lda: number;
  transA: boolean;
  b: ArrayLike<number>;
  ldb: number;
  transB: boolean;
  /** The old C (m rows, leading dimension ldc); read only when beta != 0. */
  c: ArrayLike<number>;
  ldc: number;
  beta: number;
  /** n values added to every row, or undefined for none. */
  bias?: ArrayLike<number>;
  act: GemmActivation;
}

/** act(x) in float64; relu keeps NaN (NaN < 0 is false). */
export function activate(x: number, act: GemmActivation): number {
  switch (act) {
    case "none":
      return x;
    case "relu":
      return x < 0 ? 0 : x;
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "tanh":
      return Math.tanh(x);
  }
}

/** The m x n result, dense row-major (leading dimension n). */
export function gemmReference(args: GemmReferenceArgs): Float64Array {
  const { m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias, act } = args;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * lda + i] : a[i * lda + p];
        const bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
        sum += aip * bpj;
      }
      if (beta !== 0) sum += beta * c[i * ldc + j];
      if (bias) sum += bias[j];
      out[i * n + j] = activate(sum, act);
    }
  }
  return out;
}
