/**
 * What a finished run tells a strategy besides its answers: the coverage keys it reached. Keys are opaque strings
 * chosen outside the kernel (model transitions, patterns in the trace, ...); strategies only compare and count them,
 * so the source of coverage can change without touching any strategy.
 */
export interface RunFeedback {
  /** Every key the run reached, each once; order carries no meaning. */
  readonly coverage: readonly string[];
}
