/**
 * Anytime-valid sequential tests as e-processes (running likelihood-ratio mixtures). Under the null each
 * one is a nonnegative supermartingale with initial value 1, so by Ville's inequality the chance that it
 * EVER exceeds 1/alpha is at most alpha: the judge may look every few seconds without inflating the
 * false-rollback rate. Pure data, no I/O: the state is a plain array of log-likelihood ratios.
 */

/**
 * Ratios of event rates (canary per request / baseline per request) the two-sample mixture puts equal
 * weight on. Log-spaced so any ratio between 1.5 and ~60 is within a factor 1.3 of a component.
 */
export const RATE_RATIOS: readonly number[] = [1.5, 2, 2.6, 3.4, 4.5, 6, 8, 11, 15, 21, 30, 45, 64];

/** Alternatives (as multiples of the null's odds) the one-sample mixture weighs equally. */
export const ODDS_RATIOS: readonly number[] = [1.5, 2, 3, 4.5, 7, 11, 17, 27, 45];

/**
 * Alternatives below the null (multiples of its odds) for the non-inferiority tests, where the null is
 * "the canary is worse by the margin or more" and the proof is a canary rate below it. Denser near 1 so a
 * canary just inside the margin is still proven in time.
 */
export const NI_ODDS: readonly number[] = [0.8, 0.65, 0.5, 0.35, 0.2, 0.1, 0.03];

/** Log-likelihood ratio of each mixture component so far; starts at 0 (e-value 1). */
export type EState = number[];

export function initialState(components: readonly number[]): EState {
  return components.map(() => 0);
}

/** log of the mixture e-value: log(mean(exp(l_k))), computed without overflow. */
export function logEValue(state: EState): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const l of state) if (l > max) max = l;
  let sum = 0;
  for (const l of state) sum += Math.exp(l - max);
  return max + Math.log(sum / state.length);
}

/** The mixture e-value itself (Infinity-safe). */
export function eValue(state: EState): number {
  return Math.exp(logEValue(state));
}

/**
 * Two-sample test of H0: canary's event rate per request <= baseline's (theta <= 1), on one interval's
 * counts. Conditioned on the interval's total events, each event is the canary's with probability
 * q0 = nC/(nC+nB) under H0 and q(theta) = theta*nC/(theta*nC+nB) under the alternative; the exposures
 * may change every interval (traffic steps), which keeps the product a martingale. This is the
 * counting-process construction used for software canaries (Lindon et al., Netflix, 2022).
 */
export function updateTwoSample(
  state: EState,
  obs: { canaryRequests: number; baselineRequests: number; canaryEvents: number; baselineEvents: number },
  ratios: readonly number[] = RATE_RATIOS,
): EState {
  const { canaryRequests: nC, baselineRequests: nB, canaryEvents: xC, baselineEvents: xB } = obs;
  if (nC <= 0 || nB <= 0 || xC + xB <= 0) return state;
  const q0 = nC / (nC + nB);
  return state.map((l, k) => {
    const theta = ratios[k];
    const q1 = (theta * nC) / (theta * nC + nB);
    return l + xC * Math.log(q1 / q0) + xB * Math.log((1 - q1) / (1 - q0));
  });
}

/**
 * One-sample test of H0: event probability <= p0, on `events` out of `requests`. Each component is the
 * Bernoulli likelihood ratio against p1 with odds(p1) = ratio * odds(p0); the ratio is monotone in p, so
 * the product is a supermartingale for every p <= p0, not only p0. With ratios below 1 (NI_ODDS) it tests
 * the other side, H0: p >= p0, by the same argument.
 */
export function updateOneSample(
  state: EState,
  obs: { requests: number; events: number; p0: number },
  ratios: readonly number[] = ODDS_RATIOS,
): EState {
  const { requests: n, events: x, p0 } = obs;
  if (n <= 0 || p0 <= 0 || p0 >= 1) return state;
  const odds0 = p0 / (1 - p0);
  return state.map((l, k) => {
    const odds1 = odds0 * ratios[k];
    const p1 = odds1 / (1 + odds1);
    return l + x * Math.log(p1 / p0) + (n - x) * Math.log((1 - p1) / (1 - p0));
  });
}
