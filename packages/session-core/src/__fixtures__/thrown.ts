/** What `run` throws, or undefined when it returns: lets a test assert on the error itself. */
export function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}
