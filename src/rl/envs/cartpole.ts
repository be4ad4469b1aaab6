/**
 * CartPole (Barto, Sutton and Anderson 1983) as Gymnasium's `CartPole-v1` defines it: the same
 * constants, Euler integration, termination bounds and reward of 1 per step (the terminating step
 * included); `dn.rl.make("CartPole-v1")` adds the 500-step time limit.
 *
 * @module
 */
import { checkOptions, fmtValue } from "../../_check.ts";
import { Env, type ResetResult, type StepResult } from "../env.ts";
import { Box, Discrete } from "../spaces.ts";

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
/** Half the pole's length. */
const LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between state updates. */
const TAU = 0.02;
/** The pole falls past 12 degrees. */
export const THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
/** The cart leaves the track past 2.4. */
export const X_THRESHOLD = 2.4;

/**
 * One Euler step of the cart-pole equations in float64, as Gymnasium computes it: returns the
 * next `[x, xDot, theta, thetaDot]` for `action` 0 (push left) or 1 (push right).
 */
export function cartPoleStep(state: readonly number[], action: number): number[] {
  const [x, xDot, theta, thetaDot] = state;
  const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * thetaDot ** 2 * sin) / TOTAL_MASS;
  const thetaAcc = (GRAVITY * sin - cos * temp) /
    (LENGTH * (4.0 / 3.0 - MASS_POLE * cos ** 2 / TOTAL_MASS));
  const xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
  return [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
}

/**
 * The cart-pole task: observation `[x, xDot, theta, thetaDot]` (float32), actions 0 (push left)
 * and 1 (push right), reward 1 per step; terminated when `|x| > 2.4` or `|theta| > 12°`. The
 * state is kept in float64, as Gymnasium's numpy state is. No time limit of its own: see
 * `dn.rl.make("CartPole-v1")`.
 */
export class CartPole extends Env {
  /** `"CartPole-v1"`. */
  readonly id = "CartPole-v1";
  /** Box of shape `[4]`, bounds `±[4.8, inf, 0.419, inf]` (twice the termination bounds). */
  readonly observationSpace: Box = new Box({
    low: [-2 * X_THRESHOLD, -Infinity, -2 * THETA_THRESHOLD, -Infinity],
    high: [2 * X_THRESHOLD, Infinity, 2 * THETA_THRESHOLD, Infinity],
    shape: [4],
  });
  /** `Discrete(2)`: 0 pushes left, 1 pushes right. */
  readonly actionSpace: Discrete = new Discrete(2);
  /** The float64 state `[x, xDot, theta, thetaDot]`. */
  state: number[] = [0, 0, 0, 0];

  /**
   * Draws each state variable uniformly from `[low, high]` (reset options `low`, `high`,
   * default ±0.05, as Gymnasium).
   *
   * @ignore
   */
  protected resetEnv(seed: number | undefined, options: Record<string, unknown>): ResetResult {
    const fn = `${this.id}.reset`;
    const o = checkOptions(options, ["low", "high"], fn, "options.options");
    const low = o.low ?? -0.05, high = o.high ?? 0.05;
    if (typeof low !== "number" || typeof high !== "number" || !(low <= high)) {
      throw new RangeError(
        `Cannot run ${fn}(): options "low" and "high" must be numbers with low <= high: got ${
          fmtValue(low)
        } and ${fmtValue(high)}`,
      );
    }
    const rng = this.seedRandom(seed);
    this.state = Array.from({ length: 4 }, () => low + rng.next() * (high - low));
    return { observation: Float32Array.from(this.state), info: {} };
  }

  /** @ignore */
  protected stepEnv(action: number): StepResult {
    this.state = cartPoleStep(this.state, action);
    const [x, , theta] = this.state;
    const terminated = x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD ||
      theta > THETA_THRESHOLD;
    return {
      observation: Float32Array.from(this.state),
      reward: 1,
      terminated,
      truncated: false,
      info: {},
    };
  }
}
