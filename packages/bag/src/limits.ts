/** Default maximum nesting depth (Bag levels) for parsers and serializers. */
export const DEFAULT_MAX_DEPTH = 512

/** Default maximum input size for parsers (16 MiB). */
export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024

/** Limits accepted by every parser. */
export interface ParseLimits {
  /** Maximum nesting depth (default 512). */
  maxDepth?: number
  /** Maximum input size in bytes (default 16 MiB). */
  maxInputBytes?: number
}
