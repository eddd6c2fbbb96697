/**
 * A change of variables that makes a smooth minimum look round: with H the Hessian at the
 * full-data optimum x* (central differences of the analytic gradient) and H = L Lᵀ (Cholesky),
 * x = x* + L⁻ᵀ z gives Hessian ≈ I in z. Bootstrap refits start at z = 0 and L-BFGS then needs a
 * few evaluations instead of dozens on the badly conditioned scaling-law objectives (a and α, b and
 * β move together). The minimum found is the same; only the path to it is shorter.
 */
export type Fg = (x: Float64Array, g: Float64Array) => number;

export interface Preconditioner {
  /** x = x0 + M z with M = L⁻ᵀ (row-major d×d). */
  M: Float64Array;
  d: number;
}

/** Hessian at x0 by central differences of fg's gradient, symmetrised and made positive definite. */
export function preconditioner(fg: Fg, x0: Float64Array): Preconditioner | undefined {
  const d = x0.length;
  const H = new Float64Array(d * d);
  const x = new Float64Array(d), gp = new Float64Array(d), gm = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const h = 1e-5 * Math.max(1, Math.abs(x0[j]));
    x.set(x0); x[j] = x0[j] + h; fg(x, gp);
    x.set(x0); x[j] = x0[j] - h; fg(x, gm);
    for (let i = 0; i < d; i++) H[i * d + j] = (gp[i] - gm[i]) / (2 * h);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) { const v = 0.5 * (H[i * d + j] + H[j * d + i]); H[i * d + j] = v; H[j * d + i] = v; }
  if (!H.every(Number.isFinite)) return undefined;
  // Cholesky with a growing ridge until it succeeds.
  let maxDiag = 0;
  for (let i = 0; i < d; i++) maxDiag = Math.max(maxDiag, Math.abs(H[i * d + i]));
  if (!(maxDiag > 0)) return undefined;
  for (let ridge = 0; ridge < 1; ridge = ridge === 0 ? 1e-10 : ridge * 100) {
    const L = cholesky(H, d, ridge * maxDiag);
    if (L) return { M: invTransposeLower(L, d), d };
  }
  return undefined;
}

function cholesky(H: Float64Array, d: number, ridge: number): Float64Array | undefined {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i * d + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j];
    }
  }
  return L;
}

/** (L⁻¹)ᵀ for lower-triangular L. */
function invTransposeLower(L: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    // Solve L y = e_c.
    for (let i = 0; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * d + k] * inv[k * d + c];
      inv[i * d + c] = s / L[i * d + i];
    }
  }
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M[i * d + j] = inv[j * d + i];
  return M;
}

/** fg in z (x = x0 + M z): value, and the gradient Mᵀ g(x). */
export function inZ(fg: Fg, x0: Float64Array, p: Preconditioner): { fgz: Fg; toX: (z: Float64Array, out: Float64Array) => void } {
  const { M, d } = p;
  const x = new Float64Array(d), g = new Float64Array(d);
  const toX = (z: Float64Array, out: Float64Array) => {
    for (let i = 0; i < d; i++) {
      let s = x0[i];
      for (let k = 0; k < d; k++) s += M[i * d + k] * z[k];
      out[i] = s;
    }
  };
  const fgz: Fg = (z, gz) => {
    toX(z, x);
    const f = fg(x, g);
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += M[i * d + k] * g[i];
      gz[k] = s;
    }
    return f;
  };
  return { fgz, toX };
}

/**
 * A bootstrap refit's minimiser, warm-started at the full-data optimum x0: L-BFGS in the
 * preconditioned coordinates (z = 0 at x0) when the Hessian there is usable, else in x itself. Built
 * while `fg` is still the full-data objective (the Hessian is its); returns the minimum's value and
 * writes its point to `out`.
 */
export function warmRefit(fg: Fg, x0: Float64Array, solver: { minimize(fg: Fg, x: Float64Array): { f: number } }): (out: Float64Array) => number {
  const pre = preconditioner(fg, x0);
  const zfit = pre && inZ(fg, x0, pre);
  const z = new Float64Array(x0.length);
  return (out) => {
    if (!zfit) {
      out.set(x0);
      return solver.minimize(fg, out).f;
    }
    z.fill(0);
    const f = solver.minimize(zfit.fgz, z).f;
    zfit.toX(z, out);
    return f;
  };
}
