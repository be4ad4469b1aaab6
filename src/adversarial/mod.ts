/**
 * Adversarial examples and adversarial training: the fast gradient sign method (`fgsm`), the
 * iterative attacks (`pgd`, `bim`), and a training step that mixes adversarial examples into
 * every batch (`trainStep`).
 *
 * @module
 */
export { fgsm } from "./fgsm.ts";
export { bim, pgd } from "./pgd.ts";
export type { BimOptions, PgdOptions } from "./pgd.ts";
export type { AttackModel, AttackOptions } from "./_attack.ts";
export { trainStep } from "./train.ts";
export type { AdversarialTrainingOptions } from "./train.ts";
