/**
 * `make(id)`: the built-in environments by name, wrapped as Gymnasium's registry wraps them.
 *
 * @module
 */
import { checkArity, checkOneOf } from "../_check.ts";
import type { Env } from "./env.ts";
import { CartPole } from "./envs/cartpole.ts";
import { Catch } from "./envs/catch.ts";
import { timeLimit } from "./wrappers.ts";

/** Names `make()` knows. */
export type EnvId = "CartPole-v1" | "Catch-v0";

/**
 * Creates a built-in environment: `"CartPole-v1"` (with its 500-step time limit, as Gymnasium
 * registers it) or `"Catch-v0"` (16 x 16 frames; episodes end on their own after 15 steps).
 *
 * @param id The environment's name.
 * @returns The environment.
 * @throws {TypeError} For an unknown name.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const env = dn.rl.make("CartPole-v1");
 * const { observation } = env.reset({ seed: 42 });
 * assert.equal(observation.length, 4);
 * const { reward, terminated } = env.step(1);
 * assert.equal(reward, 1);
 * assert.equal(terminated, false);
 * ```
 */
export function make(id: EnvId): Env {
  checkArity(arguments, ["id"], "make");
  switch (checkOneOf(id, ["CartPole-v1", "Catch-v0"], "id", "make")) {
    case "CartPole-v1":
      return timeLimit(new CartPole(), 500);
    case "Catch-v0":
      return new Catch();
  }
}
