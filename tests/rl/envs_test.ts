/**
 * Environments: CartPole-v1 against steps of Gymnasium's equations computed by hand (float64),
 * its termination bounds and 500-step truncation; Catch's rules; the wrappers; seeding; the typed
 * errors for bad actions and for `step` out of order.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

function assertNear(actual: ArrayLike<number>, expected: number[], tol: number, what: string) {
  assertEquals(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert(
      Math.abs(actual[i] - expected[i]) <= tol,
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} within ${tol}`,
    );
  }
}

Deno.test("CartPole-v1 step() follows Gymnasium's Euler equations (hand-computed float64 steps)", () => {
  const env = new dn.rl.CartPole();
  env.reset({ seed: 0 });
  env.state = [0.01, -0.02, 0.03, 0.04];
  // force +10: temp = (10 + 0.05 * 0.04² * sin 0.03) / 1.1,
  // thetaAcc = (9.8 sin 0.03 - cos 0.03 * temp) / (0.5 (4/3 - 0.1 cos² 0.03 / 1.1)),
  // xAcc = temp - 0.05 thetaAcc cos 0.03 / 1.1; then x += 0.02 xDot, xDot += 0.02 xAcc, ...
  const s1 = [0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081];
  const r1 = env.step(1);
  assertNear(env.state, s1, 1e-15, "state after push right");
  assertNear(r1.observation, s1.map(Math.fround), 0, "float32 observation");
  assertEquals([r1.reward, r1.terminated, r1.truncated], [1, false, false]);
  env.step(0);
  assertNear(
    env.state,
    [0.013093583914951107, -0.020868848948191993, 0.025938625640799837, 0.0591679999394166],
    1e-15,
    "state after push left",
  );
});

Deno.test("CartPole-v1 terminates past 2.4 and 12 degrees, rewards 1 on that step too", () => {
  const env = new dn.rl.CartPole();
  const limit = 12 * 2 * Math.PI / 360;
  for (
    const [state, terminated] of [
      [[2.39, 0.6, 0, 0], true], // x = 2.39 + 0.02 * 0.6 = 2.402 > 2.4
      [[2.38, 0.6, 0, 0], false], // 2.392
      [[0, 0, limit - 0.001, 0.1], true], // theta + 0.002 > limit
      [[0, 0, -limit + 0.001, -0.1], true],
      [[0, 0, limit - 0.003, 0.1], false],
    ] as const
  ) {
    env.reset({ seed: 1 });
    env.state = [...state];
    const r = env.step(0);
    assertEquals(r.terminated, terminated, `from ${state}`);
    assertEquals(r.reward, 1);
  }
  assertEquals(dn.rl.make("CartPole-v1").observationSpace.high[2], Math.fround(2 * limit));
});

Deno.test("make('CartPole-v1') truncates at step 500, and step() then needs reset()", () => {
  const env = dn.rl.make("CartPole-v1");
  env.reset({ seed: 3 });
  const cart = (env as dn.rl.Wrapper).env as dn.rl.CartPole;
  let r: dn.rl.StepResult | undefined;
  for (let t = 1; t <= 500; t++) {
    cart.state = [0, 0, 0, 0]; // hold the pole upright so the episode cannot terminate
    r = env.step(t % 2);
    assertEquals(r.truncated, t === 500, `step ${t}`);
    assertEquals(r.terminated, false);
  }
  assertThrows(() => env.step(0), dn.rl.ResetNeededError, "call reset() first");
  env.reset();
  assertEquals(env.step(0).truncated, false);
});

Deno.test("reset({ seed }) makes episodes repeat; the stream goes on without a seed", () => {
  const a = dn.rl.make("CartPole-v1"), b = dn.rl.make("CartPole-v1");
  const first = a.reset({ seed: 42 }).observation;
  assertEquals([...b.reset({ seed: 42 }).observation], [...first]);
  assert(first.every((v) => Math.abs(v) <= 0.05));
  const second = a.reset().observation;
  assert([...second].some((v, i) => v !== first[i]));
  assertEquals([...b.reset().observation], [...second]);
  const c = new dn.rl.CartPole();
  const wide = c.reset({ seed: 1, options: { low: -0.2, high: -0.1 } }).observation;
  assert(wide.every((v) => v >= Math.fround(-0.2) && v <= Math.fround(-0.1)));
});

Deno.test("bad actions and step() before reset() throw typed errors naming the problem", () => {
  const env = dn.rl.make("CartPole-v1");
  assertThrows(() => env.step(0), dn.rl.ResetNeededError, "CartPole-v1.step");
  env.reset({ seed: 0 });
  assertThrows(
    () => env.step(2),
    RangeError,
    'argument "action" must be an integer in [0, 2): got 2',
  );
  assertThrows(() => env.step(-1), RangeError, "got -1");
  assertThrows(() => env.step(0.5), RangeError, "got 0.5");
  assertThrows(() => env.step("1" as unknown as number), TypeError, 'got "1"');
  assertThrows(() => env.reset({ seed: 1.5 }), RangeError, 'option "seed" must be an integer');
  assertThrows(() => env.reset({ sed: 1 } as dn.rl.ResetOptions), TypeError, 'option "sed"');
  assertThrows(
    () => new dn.rl.CartPole().reset({ options: { lo: 1 } }),
    TypeError,
    'option "lo" is not known',
  );
  assertThrows(() => dn.rl.make("Pong-v5" as dn.rl.EnvId), TypeError, '"CartPole-v1", "Catch-v0"');
});

Deno.test("Catch: the ball falls a row per step; +1 when the paddle is under it, -1 when not", () => {
  const env = new dn.rl.Catch();
  assertEquals(env.observationSpace.shape, [16, 16]);
  for (let seed = 0; seed < 6; seed++) {
    const { observation } = env.reset({ seed });
    const column = env.ballColumn;
    assertEquals(observation[column], 1); // the ball in the top row
    assertEquals([...observation.subarray(15 * 16 + 7, 15 * 16 + 10)], [1, 1, 1]); // paddle 7..9
    assertEquals(observation.reduce((a, b) => a + b, 0), 4);
    // Chase the ball: left when it is left of the paddle, right when right.
    let r: dn.rl.StepResult;
    let steps = 0;
    do {
      r = env.step(Math.sign(column - env.paddle) + 1);
      steps++;
      assertEquals(r.observation[env.ballRow * 16 + column], 1);
    } while (!r.terminated);
    assertEquals([steps, r.reward, r.info.caught], [15, 1, true]);
    env.reset({ seed });
    do r = env.step(column < 8 ? 2 : 0); while (!r.terminated); // run away from it
    assertEquals([r.reward, r.info.caught], [-1, false]);
  }
  assertThrows(() => new dn.rl.Catch({ paddleWidth: 2 }), RangeError, "odd paddleWidth");
});

Deno.test("frameStack keeps the last 4 frames on a last axis; reset repeats the first", () => {
  const env = dn.rl.frameStack(new dn.rl.Catch({ rows: 5, columns: 3, paddleWidth: 1 }), 4);
  assertEquals(env.observationSpace.shape, [5, 3, 4]);
  const frames = [env.reset({ seed: 7 }).observation];
  const inner = env.env as dn.rl.Catch;
  const ball = inner.ballColumn;
  for (let t = 1; t <= 4; t++) frames.push(env.step(1).observation);
  // pixel (row, col) of frame j sits at (row * 3 + col) * 4 + j; the newest frame is last.
  const at = (o: Float32Array, row: number, col: number) =>
    [0, 1, 2, 3].map((j) => o[(row * 3 + col) * 4 + j]);
  assertEquals(at(frames[0], 0, ball), [1, 1, 1, 1]);
  assertEquals(at(frames[2], 0, ball), [1, 1, 0, 0]); // frames t = 0 (padding), 0, 1, 2
  assertEquals(at(frames[2], 2, ball), [0, 0, 0, 1]);
  const paddle = inner.paddle === ball ? 1 : 0; // the paddle stayed in the bottom row
  assertEquals(at(frames[4], 4, ball), [paddle, paddle, paddle, 1]);
  assertEquals(at(frames[4], 1, ball), [1, 0, 0, 0]);
});

Deno.test("clipReward, timeLimit and recordEpisodeStatistics wrap any Env", () => {
  const stats = dn.rl.recordEpisodeStatistics(
    dn.rl.clipReward(dn.rl.timeLimit(new dn.rl.Catch({ rows: 10 }), 4), -0.5, 0.5),
    2,
  );
  for (let e = 0; e < 3; e++) {
    stats.reset({ seed: e });
    let r: dn.rl.StepResult;
    do r = stats.step(1); while (!r.terminated && !r.truncated);
    assertEquals(r.truncated, true);
    const episode = r.info.episode as dn.rl.EpisodeStatistics;
    assertEquals([episode.r, episode.l], [0, 4]);
  }
  assertEquals([stats.episodeCount, stats.lengthQueue], [3, [4, 4]]);
  const clipped = dn.rl.recordEpisodeStatistics(dn.rl.clipReward(new dn.rl.Catch(), -0.5, 0.5));
  clipped.reset({ seed: 0 });
  let r: dn.rl.StepResult;
  do r = clipped.step(1); while (!r.terminated);
  assertEquals(Math.abs(r.reward), 0.5);
  assertEquals((r.info.episode as dn.rl.EpisodeStatistics).r, r.reward);
  assertEquals(typeof r.info.caught, "boolean"); // the inner info passes through
  assertThrows(() => dn.rl.clipReward(new dn.rl.Catch(), 1, -1), RangeError, "min <= max");
  assertThrows(() => dn.rl.timeLimit(new dn.rl.Catch(), 0), RangeError, "maxEpisodeSteps");
});

/** A user environment whose observations come out one value short after the first step. */
class Short extends dn.rl.Env {
  readonly id = "Short-v0";
  readonly observationSpace = new dn.rl.Box({ low: 0, high: 1, shape: [2, 2] });
  readonly actionSpace = new dn.rl.Discrete(2);

  protected resetEnv(): dn.rl.ResetResult {
    return { observation: new Float32Array(4), info: {} };
  }

  protected stepEnv(action: number): dn.rl.StepResult {
    const observation = action ? [0, 0, 0] as unknown as Float32Array : new Float32Array(3);
    return { observation, reward: 0, terminated: false, truncated: false, info: {} };
  }
}

Deno.test("a user Env whose observation does not fit its observationSpace throws a RangeError", () => {
  const env = new Short();
  assertEquals(env.reset().observation.length, 4);
  assertThrows(
    () => env.step(0),
    RangeError,
    "Short-v0.step(): the environment must return a Float32Array observation of shape [2, 2] (4 values): got 3 values",
  );
  assertThrows(() => env.step(1), RangeError, "got [0, 0, 0]");
});
