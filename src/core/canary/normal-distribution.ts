/**
 * The standard normal distribution to double precision: the complementary error function of
 * W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
 * 631–638 (the coefficients of SPECFUN `CALERF`, relative error below 1e-15), and the quantile
 * function of M. J. Wichura, "Algorithm AS 241: the percentage points of the normal
 * distribution", Applied Statistics 37 (1988) 477–484 (about 1e-16 relative).
 */

const sqrtPiInverse = 0.5641895835477563;

/** erf on [0, 0.46875]: x·A(x²)/B(x²). */
const erfA = [
  3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315,
] as const;
const erfB = [
  23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171,
] as const;
/** erfc·exp(x²) on (0.46875, 4]. */
const erfcC = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
] as const;
const erfcD = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
] as const;
/** erfc·exp(x²)·x on (4, ∞), in 1/x². */
const erfcP = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378, 0.016315387137302097,
] as const;
const erfcQ = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
  0.0023352049762686918,
] as const;

const at = (table: readonly number[], i: number): number => table[i] as number;

/** exp(−y²) without the cancellation of squaring y directly (Cody's split of y at 1/16). */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** erfc(|x|) for |x| > 0.46875. */
function erfcTail(y: number): number {
  if (y <= 4) {
    let num = at(erfcC, 8) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + at(erfcC, i)) * y;
      den = (den + at(erfcD, i)) * y;
    }
    return (expMinusSquare(y) * (num + at(erfcC, 7))) / (den + at(erfcD, 7));
  }
  if (y >= 26.543) return 0;
  const z = 1 / (y * y);
  let num = at(erfcP, 5) * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + at(erfcP, i)) * z;
    den = (den + at(erfcQ, i)) * z;
  }
  const r = (z * (num + at(erfcP, 4))) / (den + at(erfcQ, 4));
  return (expMinusSquare(y) * (sqrtPiInverse - r)) / y;
}

/** The complementary error function erfc(x) = 1 − erf(x). NaN for NaN; never throws. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y > 1.11e-16 ? y * y : 0;
    let num = at(erfA, 4) * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + at(erfA, i)) * z;
      den = (den + at(erfB, i)) * z;
    }
    return 1 - (x * (num + at(erfA, 3))) / (den + at(erfB, 3));
  }
  const tail = erfcTail(y);
  return x < 0 ? 2 - tail : tail;
}

/** P(Z ≤ z) for a standard normal Z (scipy's `ndtr`). Accurate in both tails; never throws. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** P(Z > z) for a standard normal Z, accurate far into the upper tail. Never throws. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

const quantileA = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
] as const;
const quantileB = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
] as const;
const quantileC = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
] as const;
const quantileD = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
] as const;
const quantileE = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
] as const;
const quantileF = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
] as const;

/** c[0] + c[1]·x + … + c[7]·x⁷ by Horner's rule. */
function polynomial(c: readonly number[], x: number): number {
  let value = at(c, 7);
  for (let i = 6; i >= 0; i--) value = value * x + at(c, i);
  return value;
}

/**
 * The standard normal quantile Φ⁻¹(p) (scipy's `ndtri`): −Infinity at 0, Infinity at 1, NaN
 * outside [0, 1]. Never throws.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(quantileA, r)) / polynomial(quantileB, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(quantileC, r) / polynomial(quantileD, r);
  } else {
    r -= 5;
    value = polynomial(quantileE, r) / polynomial(quantileF, r);
  }
  return q < 0 ? -value : value;
}
