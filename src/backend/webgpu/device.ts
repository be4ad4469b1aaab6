/**
 * WebGPU adapter and device: which adapters count, how a lost device is reported.
 *
 * A *software* adapter is one the runtime flags as a fallback adapter (`info.isFallbackAdapter`,
 * which Deno's wgpu sets for Mesa's llvmpipe) or whose description names a CPU rasteriser
 * (llvmpipe, lavapipe, softpipe, SwiftShader, WARP). `ready({ backend: "auto" })` never takes a
 * software adapter: the wasm/threads backends run the same work faster on the same CPU. An explicit
 * `ready({ backend: "webgpu" })` does take one (that is how CI tests the WGSL programs on llvmpipe),
 * and `backend().reason` says it is software.
 *
 * @module
 */
import { BackendUnavailableError } from "../../errors.ts";

/** A device and what it runs on. */
export interface GpuContext {
  adapter: GPUAdapter;
  device: GPUDevice;
  /** The adapter's description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  description: string;
  /** Whether the adapter is a fallback or CPU (software) implementation. */
  software: boolean;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** Whether `info` describes a fallback or software (CPU) adapter. */
export function isSoftwareAdapter(info: GPUAdapterInfo | undefined): boolean {
  if (!info) return false;
  const flagged = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return flagged === true || SOFTWARE.test(`${info.description} ${info.device} ${info.vendor}`);
}

/** Why WebGPU is missing here, or null when `navigator.gpu` exists. */
export function webgpuMissing(): string | null {
  return typeof navigator === "undefined" || !("gpu" in navigator) || !navigator.gpu
    ? "this runtime has no navigator.gpu"
    : null;
}

/** What {@linkcode probeAdapter} found: an adapter, or null with the reason. */
export type AdapterProbe = { adapter: GPUAdapter; software: boolean } | {
  adapter: null;
  why: string;
};

/**
 * The adapter this runtime offers (a software one included: `software` says so), or null with
 * the reason. Never throws.
 */
export async function probeAdapter(): Promise<AdapterProbe> {
  const missing = webgpuMissing();
  if (missing) return { adapter: null, why: missing };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    return { adapter: null, why: `requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter) return { adapter: null, why: "navigator.gpu.requestAdapter() returned null" };
  return { adapter, software: isSoftwareAdapter(adapter.info) };
}

/**
 * Requests a device on the best adapter.
 *
 * @param onLost Called once when the device is lost, with the reason ("destroyed" included).
 * @throws {BackendUnavailableError} When there is no adapter or the device cannot be created.
 */
export async function openDevice(onLost: (reason: string) => void): Promise<GpuContext> {
  const probe = await probeAdapter();
  if (probe.adapter === null) {
    throw new BackendUnavailableError(`Cannot start backend "webgpu" in ready(): ${probe.why}`);
  }
  const { adapter, software } = probe;
  const limits = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupSizeY: limits.maxComputeWorkgroupSizeY,
        minStorageBufferOffsetAlignment: limits.minStorageBufferOffsetAlignment,
      },
    });
  } catch (e) {
    throw new BackendUnavailableError(
      `Cannot start backend "webgpu" in ready(): requestDevice() failed: ${(e as Error).message}`,
    );
  }
  device.lost.then((info) => onLost(`${info.reason}${info.message ? `: ${info.message}` : ""}`));
  return { adapter, device, description: adapter.info.description || "unknown adapter", software };
}
