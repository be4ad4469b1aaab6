/**
 * The primitive kernel set of a backend (STYLE C6): a required core, and fused primitives with
 * defaults composed from it (fused_defaults.ts). Nothing here knows about tensors:
 * arguments are storage handles, element counts and shapes already checked by `src/ops/`.
 *
 * @module
 */

/** Names of the backends. */
export type BackendName = "wasm" | "threads" | "webgpu";

/**
 * Element types of storage: float32, int32 (two's complement) and bool (one byte per element, 0
 * or 1, four to a 4-byte unit).
 */
export type DType = "float32" | "int32" | "bool";

/** Storage units (4 bytes, `Storage.size`) that `n` elements of `dtype` take. */
export function storageUnits(dtype: DType, n: number): number {
  return dtype === "bool" ? Math.ceil(n / 4) : n;
}

/** Activation fused into a GEMM epilogue. */
export type Activation = "linear" | "relu" | "sigmoid" | "tanh";

/** Elementwise float32 functions of one argument. */
export type UnaryOp =
  | "relu"
  | "sigmoid"
  | "tanh"
  | "exp"
  | "log"
  | "neg"
  | "sqrt"
  | "square"
  | "abs"
  | UnaryMathOp;

/**
 * The unary ops run by one kernel taking an op code (`f32_vunary`, src/backend/unary_codes.ts);
 * `leakyRelu` and `elu` read the `alpha` argument of `unary`/`unaryBackward`.
 */
export type UnaryMathOp =
  | "sign"
  | "floor"
  | "ceil"
  | "round"
  | UnaryMathGradOp;

/** Math ops with a derivative kernel (`f32_vunary_bwd`): each saves its input. */
export type UnaryMathGradOp =
  | "reciprocal"
  | "rsqrt"
  | "log1p"
  | "expm1"
  | "sin"
  | "cos"
  | "tan"
  | "erf"
  | "softplus"
  | "elu"
  | "selu"
  | "leakyRelu"
  | "gelu"
  | "geluTanh"
  | "silu";

/**
 * Unary ops with a fused derivative kernel: relu and the math ops save their input, sigmoid and
 * tanh their output.
 */
export type UnaryGradOp = "relu" | "sigmoid" | "tanh" | UnaryMathGradOp;

/**
 * Elementwise arithmetic of two arguments (with broadcasting), float32 or int32. `mod` is floored
 * (the sign of `b`, as TF.js); int32 wraps on overflow, its `div` is `floorDiv`, and its `floorDiv`
 * and `mod` by 0 give 0 (TF.js stores the float result, ±Infinity or NaN, as 0).
 */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "maximum"
  | "minimum"
  | "pow"
  | "mod"
  | "floorDiv"
  | "squaredDifference";

/**
 * Elementwise comparisons and logic of two arguments (with broadcasting), writing bool. The
 * comparisons take float32, int32 or bool (false < true) operands of one dtype; the logical ops
 * take bool. NaN is unequal to everything and neither greater nor less.
 */
export type CompareOp =
  | "equal"
  | "notEqual"
  | "greater"
  | "greaterEqual"
  | "less"
  | "lessEqual"
  | "logicalAnd"
  | "logicalOr"
  | "logicalXor";

/**
 * Reductions over one axis of float32 values; `argMax` and `argMin` write int32 indices (the
 * first NaN, else the first extreme); `logSumExp` is max-shifted, `m + log Σ e^(x - m)`.
 */
export type ReduceOp = "sum" | "max" | "min" | "prod" | "argMax" | "argMin" | "logSumExp";

/** Row-wise normalisations over the last axis. */
export type SoftmaxOp = "softmax" | "logSoftmax";

/** A gather or scatter-add along one axis: `x` seen as `[outer, len, inner]`, `n` indices. */
export interface GatherGeometry {
  outer: number;
  len: number;
  inner: number;
  n: number;
  /** The indices are float32 holding integers instead of int32. */
  floatIndices: boolean;
  /** What scatter-add adds (default float32); gather copies 4-byte elements of either. */
  dtype?: "float32" | "int32";
}

/**
 * A strided copy over the index space `dims` (six dimensions, outermost first; fewer are padded
 * in front with extent 1 and stride 0):
 * `y[yOffset + Σ i_d·yStrides[d]] = x[xOffset + Σ i_d·xStrides[d]]`. Offsets and strides count
 * elements of `elementBytes` bytes (4: float32 and int32, moved as bits; 1: bool). x strides may
 * be 0 (broadcast) or negative (reverse). `src/ops/` (`_strided.ts`) guarantees every index
 * lies in its storage, that x and y do not overlap, and that y's strides are >= 0 and, sorted,
 * each exceeds the largest offset the smaller ones reach (a block of a row-major array, possibly
 * stepped), so each y element is written once and a y position names at most one index.
 */
export interface StridedCopyPlan {
  dims: readonly number[];
  xStrides: readonly number[];
  yStrides: readonly number[];
  xOffset: number;
  yOffset: number;
  elementBytes: 4 | 1;
}

/** A region of backend memory holding float32 values; opaque above the backend. */
export interface Storage {
  /** Capacity in float32 elements. */
  readonly size: number;
}

/** `c = act(op(a)·op(b) + beta·c + bias)`, row-major; op transposes when asked. */
export interface GemmArgs {
  a: Storage;
  b: Storage;
  c: Storage;
  /** Rows of op(a) and of c. */
  m: number;
  /** Columns of op(b) and of c. */
  n: number;
  /** Columns of op(a), rows of op(b). */
  k: number;
  transA: boolean;
  transB: boolean;
  /** Bias along n, or null. */
  bias: Storage | null;
  activation: Activation;
  /** Multiplier of the previous c; 0 means c is not read. */
  beta: number;
}

/**
 * A broadcast binary operation reduced to at most four dimensions: `out` is contiguous with shape
 * `dims`; `a` and `b` are read with element strides `aStrides` / `bStrides` (0 broadcasts).
 */
export interface BroadcastPlan {
  dims: [number, number, number, number];
  aStrides: [number, number, number, number];
  bStrides: [number, number, number, number];
}

/**
 * One contrastive-divergence update of a restricted Boltzmann machine, in place: with
 * `g = (vPosᵀ·hPos - vNegᵀ·hNeg) / batch` (the sum over the batch in row order),
 * `wVel = momentum·wVel + lr·(g - weightDecay·w)`, `w += wVel`; each bias likewise from the column
 * sums of `pos - neg`, without weight decay (assembly/rbm.ts).
 */
export interface RbmUpdateArgs {
  /** Data `[batch, visible]`. */
  vPos: Storage;
  /** Hidden probabilities given the data `[batch, hidden]`. */
  hPos: Storage;
  /** Visible reconstructions `[batch, visible]`. */
  vNeg: Storage;
  /** Hidden probabilities given the reconstructions `[batch, hidden]`. */
  hNeg: Storage;
  batch: number;
  visible: number;
  hidden: number;
  /** Weights `[visible, hidden]` and their velocity. */
  w: Storage;
  wVel: Storage;
  /** Visible bias `[visible]` and its velocity. */
  vBias: Storage;
  vBiasVel: Storage;
  /** Hidden bias `[hidden]` and its velocity. */
  hBias: Storage;
  hBiasVel: Storage;
  lr: number;
  momentum: number;
  weightDecay: number;
}

/** A broadcast `cond ? a : b`: as {@linkcode BroadcastPlan}, `cond` read with `condStrides`. */
export interface SelectPlan extends BroadcastPlan {
  condStrides: [number, number, number, number];
}

/** One in-place optimizer update of `w` from gradient `g` (Keras semantics). */
export type OptimizerStep =
  | {
    op: "sgd";
    w: Storage;
    g: Storage;
    /** Velocity; null when momentum is 0. */
    v: Storage | null;
    lr: number;
    momentum: number;
    nesterov: boolean;
  }
  | {
    op: "adam";
    w: Storage;
    g: Storage;
    m: Storage;
    v: Storage;
    /** Learning rate with the bias correction folded in: `lr·√(1-β2ᵗ)/(1-β1ᵗ)`. */
    lrT: number;
    beta1: number;
    beta2: number;
    epsilon: number;
  }
  | {
    op: "rmsprop";
    w: Storage;
    g: Storage;
    ms: Storage;
    lr: number;
    rho: number;
    epsilon: number;
  };

/**
 * Geometry of a 2-D pooling over NHWC tensors: `x`/`dx` are `[batch, inHeight, inWidth,
 * channels]`, `y`/`dy` are `[batch, outHeight, outWidth, channels]`. Window `(oy, ox)` starts at
 * input row `oy·strideHeight - padTop` and column `ox·strideWidth - padLeft` and is clipped to
 * the input (padding is never read; bottom/right padding is implied by the clip). Checked by
 * `src/ops/pool.ts`: all sizes >= 1, `0 <= padTop < poolHeight`, `0 <= padLeft < poolWidth`,
 * and every window holds at least one input element.
 */
export interface Pool2dArgs {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  poolHeight: number;
  poolWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Geometry of a 2-D convolution over NHWC tensors: `x`/`dx` are `[batch, inHeight, inWidth,
 * inChannels]`, `y`/`dy` are `[batch, outHeight, outWidth, outChannels]`, the filter and `dw`
 * are `[filterHeight, filterWidth, inChannels, outChannels]`. Output `(oy, ox)` reads input row
 * `oy·strideHeight - padTop + kh·dilationHeight` and column `ox·strideWidth - padLeft +
 * kw·dilationWidth` for tap `(kh, kw)`; taps outside the input read zero (bottom/right padding is
 * implied by the output size). Checked by `src/ops/conv.ts`: strides, dilations and filter sizes
 * >= 1, pads >= 0.
 */
export interface Conv2dGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/** `y = activation(conv2d(x, filter) + bias)`, bias along the output channels. */
export interface Conv2dArgs extends Conv2dGeometry {
  x: Storage;
  filter: Storage;
  y: Storage;
  /** `[outChannels]`, or null. */
  bias: Storage | null;
  activation: Activation;
}

/** `dx` = the gradient of `conv2d(x, filter)` with respect to `x`, from `dy` (pre-activation). */
export interface Conv2dBackwardDataArgs extends Conv2dGeometry {
  dy: Storage;
  filter: Storage;
  dx: Storage;
}

/** `dw` = the gradient of `conv2d(x, filter)` with respect to the filter, from `x` and `dy`. */
export interface Conv2dBackwardFilterArgs extends Conv2dGeometry {
  x: Storage;
  dy: Storage;
  dw: Storage;
}

/**
 * A depthwise 2-D convolution (`Conv2dGeometry` with `outChannels = inChannels · multiplier`):
 * the filter and `dw` are `[filterHeight, filterWidth, inChannels, multiplier]`, output channel
 * `c · multiplier + k` convolves input channel c with filter (.., c, k). `y`/`dx`/`dw` are
 * written whole; `bias` (`[outChannels]`) only in the forward, null for none.
 */
export interface DepthwiseConv2dArgs extends Conv2dGeometry {
  x: Storage | null;
  filter: Storage | null;
  bias: Storage | null;
  /** The forward's output, the input gradient's dy, or the filter gradient's dy. */
  y: Storage;
  /** The input gradient (bwdData) or the filter gradient (bwdFilter); null in the forward. */
  grad: Storage | null;
}

/**
 * One LSTM time step (Keras gate order i, f, c, o): `xw`, `hu`, `gates` are `[batch, 4·units]`
 * (`xw = x·W + b`, `hu = hPrev·U`), `cPrev`, `c`, `h` are `[batch, units]`; `c` may be `cPrev`.
 * Writes `c`, `h` and the gate activations `[i, f, g, o]` that the backward reads; `gates` may
 * be `xw` (the activations then replace the preactivations, element by element).
 */
export interface LstmGatesArgs {
  batch: number;
  units: number;
  xw: Storage;
  hu: Storage;
  cPrev: Storage;
  c: Storage;
  h: Storage;
  gates: Storage;
}

/** Gradient of one LSTM step: `dz` (`[batch, 4·units]`) from `dh`; `dc` in: dL/dc, out: dL/dcPrev. */
export interface LstmGatesBackwardArgs {
  batch: number;
  units: number;
  dh: Storage;
  dc: Storage;
  gates: Storage;
  cPrev: Storage;
  c: Storage;
  dz: Storage;
}

/**
 * One GRU time step (Keras gate order z, r, h, reset after the recurrent product): `xw`, `hu` are
 * `[batch, 3·units]` (`hu = hPrev·U + recurrentBias`), `hPrev`, `h` `[batch, units]`, `saved`
 * `[batch, 4·units]` receives `[z, r, ĥ, hu_h]` for the backward.
 */
export interface GruGatesArgs {
  batch: number;
  units: number;
  xw: Storage;
  hu: Storage;
  hPrev: Storage;
  h: Storage;
  saved: Storage;
}

/** Gradient of one GRU step: `dxw`, `dhu` (`[batch, 3·units]`) from `dh`; adds `dh·z` to `dhPrev`. */
export interface GruGatesBackwardArgs {
  batch: number;
  units: number;
  dh: Storage;
  saved: Storage;
  hPrev: Storage;
  dxw: Storage;
  dhu: Storage;
  /** Receives `+= dh·z` (the direct path to the previous state), or null to drop it. */
  dhPrev: Storage | null;
}

/**
 * The primitives every backend implements (STYLE C6): memory, copies, GEMM, the elementwise,
 * reduction and softmax families, transposes, gathers, pooling and convolution. Sizes are in
 * float32 elements. Convolution and pooling stay here although they could be composed (gathers
 * into an im2col buffer and a GEMM): such a default would hold `filterHeight·filterWidth` copies
 * of the input, too much to be a fallback worth having.
 */
export interface CoreBackend {
  readonly name: BackendName;
  /**
   * Whether `primitive` (a method name of {@linkcode Backend}) runs here, by the backend's own
   * kernel or by its default from the core (fused_defaults.ts): ops ask this instead of checking
   * backend names. False on WebGPU for `readSync` (reads are asynchronous there) and
   * `sumSquares` (it returns a number synchronously); true for everything on the CPU backends.
   */
  supports(primitive: Primitive): boolean;
  /** Allocates storage for `size` floats (contents unspecified). */
  alloc(size: number): Storage;
  /** Returns storage to the backend; it must not be used afterwards. */
  free(storage: Storage): void;
  /** Copies `values` into the start of `storage`. */
  write(storage: Storage, values: Float32Array): void;
  /** Copies the first `size` floats of `storage` out. */
  read(storage: Storage, size: number): Promise<Float32Array>;
  /** Synchronous read, on backends that can (the CPU ones). */
  readSync(storage: Storage, size: number): Float32Array;
  /** Copies `size` floats from `src` (from element `srcOffset`) to `dst` (from `dstOffset`). */
  copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, size: number): void;
  /** Sets `size` floats of `y` to `value`. */
  fill(y: Storage, value: number, size: number): void;
  /**
   * `y[i] = x[i]` converted from `from` to `to` over `size` elements: float32 to int32 truncates
   * toward zero and saturates (NaN to 0), anything to bool is `x != 0` (NaN to 1), bool to a number
   * is 0 or 1, int32 to float32 rounds to nearest.
   */
  cast(x: Storage, from: DType, y: Storage, to: DType, size: number): void;
  gemm(args: GemmArgs): void;
  /**
   * `y = op(x)` over float32; `alpha` is the parameter of `leakyRelu` (the slope for x <= 0) and
   * `elu` (the scale of the negative side), unread by the other ops.
   */
  unary(op: UnaryOp, x: Storage, y: Storage, size: number, alpha?: number): void;
  /**
   * `dx = dy · f'`, from the input (relu, the math ops) or the output (sigmoid, tanh) saved by the
   * forward; `alpha` as for `unary`.
   */
  unaryBackward(
    op: UnaryGradOp,
    dy: Storage,
    saved: Storage,
    dx: Storage,
    size: number,
    alpha?: number,
  ): void;
  /** `y = a op b` over float32 (the default) or int32 operands and output. */
  binary(
    op: BinaryOp,
    a: Storage,
    b: Storage,
    y: Storage,
    plan: BroadcastPlan,
    dtype?: "float32" | "int32",
  ): void;
  /** `y = a op b ? true : false` (bool) over operands of `dtype` (bool for the logical ops). */
  compare(
    op: CompareOp,
    a: Storage,
    b: Storage,
    y: Storage,
    plan: BroadcastPlan,
    dtype: DType,
  ): void;
  /**
   * `y = cond ? a : b`: `cond` bool, `a`, `b` and `y` of one dtype (float32 and int32 are chosen
   * as bits).
   */
  select(cond: Storage, a: Storage, b: Storage, y: Storage, plan: SelectPlan, dtype: DType): void;
  /**
   * x viewed as `[outer, len, inner]`, y as `[outer, inner]`; sums are multiplied by `scale`.
   * `dtype` int32 (sum only, `scale` 1) sums int32 values with wrap-around, as TF.js.
   */
  reduce(
    op: ReduceOp,
    x: Storage,
    y: Storage,
    outer: number,
    len: number,
    inner: number,
    scale: number,
    dtype?: "float32" | "int32",
  ): void;
  /**
   * Cumulative sums of `x` viewed as `[outer, len, inner]` along len into `y` (same view): each
   * output adds its own term (or not, when `exclusive`), running from the last slice when
   * `reverse`.
   */
  scan(
    x: Storage,
    y: Storage,
    outer: number,
    len: number,
    inner: number,
    exclusive: boolean,
    reverse: boolean,
  ): void;
  /**
   * The `k` largest entries of each row of `x` (`[rows, cols]`) into `values` (float32) and their
   * column indices into `indices` (int32), both `[rows, k]`: NaN ranks first, ties by lower
   * index; in rank order when `sorted`, else in index order.
   */
  topk(
    x: Storage,
    values: Storage,
    indices: Storage,
    rows: number,
    cols: number,
    k: number,
    sorted: boolean,
  ): void;
  /** `dx` (`[rows, cols]`) = zeros, except `dy[r, t]` at column `indices[r, t]` of row r. */
  topkBackward(
    dy: Storage,
    indices: Storage,
    dx: Storage,
    rows: number,
    cols: number,
    k: number,
  ): void;
  softmax(op: SoftmaxOp, x: Storage, y: Storage, rows: number, cols: number): void;
  /** Gradient of a softmax (`y` its output) or log-softmax (`y` its output) over rows. */
  softmaxBackward(
    op: SoftmaxOp,
    dy: Storage,
    y: Storage,
    dx: Storage,
    rows: number,
    cols: number,
  ): void;
  /** 2-D transpose of a `rows x cols` matrix. */
  transpose(x: Storage, y: Storage, rows: number, cols: number): void;
  /** The strided copy `plan` from `x` to `y` (slices, concat, pad, tile, transposes ...). */
  stridedCopy(x: Storage, y: Storage, plan: StridedCopyPlan): void;
  /** `y` = the maximum of each pooling window of `x` (NaN propagates). */
  maxPool2d(x: Storage, y: Storage, p: Pool2dArgs): void;
  /** `dx` from `dy`: each window's gradient goes to its first element equal to `y` (TF). */
  maxPool2dBackward(x: Storage, y: Storage, dy: Storage, dx: Storage, p: Pool2dArgs): void;
  /** `y` = the mean of the valid (non-padded) elements of each pooling window of `x`. */
  avgPool2d(x: Storage, y: Storage, p: Pool2dArgs): void;
  /** `dx` from `dy`: each window's gradient spread evenly over its valid elements. */
  avgPool2dBackward(dy: Storage, dx: Storage, p: Pool2dArgs): void;
  /** NHWC 2-D convolution with fused bias and activation (writes all of `y`). */
  conv2d(args: Conv2dArgs): void;
  /** Gradient of a convolution with respect to its input (writes all of `dx`). */
  conv2dBackwardData(args: Conv2dBackwardDataArgs): void;
  /** Gradient of a convolution with respect to its filter (writes all of `dw`). */
  conv2dBackwardFilter(args: Conv2dBackwardFilterArgs): void;
  /**
   * Depthwise convolution: `"forward"` writes y, `"bwdData"` dx from (y = dy, filter),
   * `"bwdFilter"` dw from (x, y = dy); see `DepthwiseConv2dArgs`.
   */
  depthwiseConv2d(pass: "forward" | "bwdData" | "bwdFilter", args: DepthwiseConv2dArgs): void;
  /**
   * A window of `size` floats of `storage` from element `offset`, sharing its memory (a time step
   * of a sequence buffer); never passed to `free`, and invalid once `storage` is freed.
   */
  subarray(storage: Storage, offset: number, size: number): Storage;
  /**
   * `y[o, i, :] = x[o, indices[i], :]` over the `[outer, len, inner]` view of `x` (`y` is
   * `[outer, n, inner]`; 4-byte elements copied as bits, so float32 and int32 alike). `src/ops/`
   * checks that the indices are integers in `[0, len)` on backends that read synchronously;
   * webgpu, which cannot, checks them in the kernel (zeros for a bad index) and throws from its
   * next `read()`.
   */
  gather(x: Storage, indices: Storage, y: Storage, g: GatherGeometry): void;
  /**
   * `dx[o, indices[i], :] += dy[o, i, :]` (float32, or int32 with `g.dtype`), each dx row summing
   * in index order (webgpu skips bad indices).
   */
  scatterAdd(dy: Storage, indices: Storage, dx: Storage, g: GatherGeometry): void;
  /**
   * `y[i]` = 1 with probability `p[i]`, else 0 (float32), a pure function of (`seed` as u32, i)
   * that every backend computes bit for bit alike (assembly/random.ts).
   */
  randomBernoulli(p: Storage, y: Storage, size: number, seed: number): void;
  /**
   * `samples` categorical draws (int32 outcome numbers) from each row of `probs`
   * `[rows, outcomes]` (non-negative, any total) into `y` `[rows, samples]`, from (`seed`, draw
   * number) alike on every backend (assembly/random.ts).
   */
  multinomial(
    probs: Storage,
    y: Storage,
    rows: number,
    outcomes: number,
    samples: number,
    seed: number,
  ): void;
  /** Bytes of memory the backend holds from the system (wasm memory size, GPU buffers). */
  memoryBytes(): number;
}

/**
 * Fused primitives: each one is a composition of {@linkcode CoreBackend} primitives that a backend
 * may run as one kernel (fewer passes over memory, no temporaries). A backend may lack any of
 * them: `fused(backend)` (fused_defaults.ts) then runs the default composed from the core, so a
 * new backend can come up with the core alone. The three backends implement all of them.
 */
export interface FusedBackend {
  /**
   * A dropout mask drawn on the backend: `y[i]` is 0 with probability `rate`, else `keep`, a pure
   * function of (`seed` as u32, i) that every backend computes bit for bit alike
   * (assembly/random.ts).
   */
  dropoutMask(y: Storage, size: number, seed: number, rate: number, keep: number): void;
  /** One contrastive-divergence update of an RBM's weights and biases, in place. */
  rbmUpdate(args: RbmUpdateArgs): void;
  /** `y = x·scale + shift`. */
  affine(x: Storage, y: Storage, size: number, scale: number, shift: number): void;
  /** Updates the weights `w` (and the optimizer state) in place. */
  optimizerStep(step: OptimizerStep, size: number): void;
  /** `y = min(max(x, lo), hi)`; NaN stays NaN. */
  clip(x: Storage, y: Storage, size: number, lo: number, hi: number): void;
  /** `y += a·x`. */
  axpy(x: Storage, y: Storage, size: number, a: number): void;
  /** Sum of squares of `x`, accumulated in float64 in a fixed order. */
  sumSquares(x: Storage, size: number): number;
  /** Fused LSTM step (gates, cell and hidden state). */
  lstmGates(args: LstmGatesArgs): void;
  /** Gradient of a fused LSTM step. */
  lstmGatesBackward(args: LstmGatesBackwardArgs): void;
  /** Fused GRU step. */
  gruGates(args: GruGatesArgs): void;
  /** Gradient of a fused GRU step. */
  gruGatesBackward(args: GruGatesBackwardArgs): void;
  /** Simple RNN step `h = act(xw + hu)`, all `[batch, units]`. */
  rnnGates(
    xw: Storage,
    hu: Storage,
    h: Storage,
    activation: Activation,
    batch: number,
    units: number,
  ): void;
  /** `dz = dh·act'` from the step's output `h`. */
  rnnGatesBackward(
    dh: Storage,
    h: Storage,
    dz: Storage,
    activation: Activation,
    batch: number,
    units: number,
  ): void;
  /**
   * Swaps the batch and time axes: `[batch, steps, inner]` to `[steps, batch, inner]` when
   * `toTimeMajor`, else back; with `reverse` the time axis of the batch-major side is reversed.
   */
  sequenceTranspose(
    x: Storage,
    y: Storage,
    batch: number,
    steps: number,
    inner: number,
    toTimeMajor: boolean,
    reverse: boolean,
  ): void;
}

/** A backend: the core primitives, and any of the fused ones. Call fused ones via `fused()`. */
export interface Backend extends CoreBackend, Partial<FusedBackend> {}

/** Names of the fused primitives (those with a default composed from the core). */
export type FusedPrimitive = keyof FusedBackend;

/** Names of the primitives `supports()` answers for: every method but `supports`. */
export type Primitive = Exclude<keyof CoreBackend, "name" | "supports"> | FusedPrimitive;

/** A backend with a kernel of its own for every fused primitive (wasm, threads and webgpu are). */
export type CompleteBackend = CoreBackend & FusedBackend;
