/** Kayenta's BrentSolver constants (kayenta-mannwhitney BrentSolver.java). */
const maxIterations = 1000;
const tolerance = 1e-4;
const epsilon = 2.220446049250313e-16;

/** commons-math `Precision.equals(x, 0)`: within one ulp of zero. */
const isZero = (v: number) => Math.abs(v) <= Number.MIN_VALUE;

/**
 * A root of f in [ax, bx] by Brent's method, step for step as Kayenta's `BrentSolver.solve`
 * (kayenta-mannwhitney/src/main/java/com/netflix/kayenta/mannwhitney/BrentSolver.java at
 * a69573be, itself R's `zeroin`: R. P. Brent, "Algorithms for Minimization without Derivatives"
 * (1973) ch. 4): absolute tolerance 1e-4, ε = 2.22e-16, at most 1000 iterations, returning the
 * last iterate when they run out. fa and fb are f(ax) and f(bx), passed in as Kayenta does.
 * Followed exactly because the function it solves in Kayenta is a step function: where the
 * iteration stops is the answer, to 1e-6. Never throws (f may).
 */
export function brentZeroin(
  ax: number,
  bx: number,
  faStart: number,
  fbStart: number,
  f: (x: number) => number,
): number {
  let a = ax;
  let b = bx;
  let fa = faStart;
  let fb = fbStart;
  let c = a;
  let fc = fa;
  if (isZero(fa)) return a;
  if (isZero(fb)) return b;
  for (let iteration = maxIterations + 1; iteration-- > 0;) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const actualTolerance = 2 * epsilon * Math.abs(b) + tolerance / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= actualTolerance || isZero(fb)) return b;
    if (Math.abs(previousStep) >= actualTolerance && Math.abs(fa) > Math.abs(fb)) {
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        // inverse quadratic interpolation
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (
        p < 0.75 * cb * q - Math.abs(actualTolerance * q) / 2 &&
        p < Math.abs((previousStep * q) / 2)
      )
        newStep = p / q;
    }
    if (Math.abs(newStep) < actualTolerance)
      newStep = newStep > 0 ? actualTolerance : -actualTolerance;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}
