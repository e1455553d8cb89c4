import type { NamedReporterContract } from '@japa/runner/types'

/**
 * Prints the closing line that CI reads: `N passed, N failed` (with skipped
 * when any), at process exit so that it stays the very last line of output.
 */
export function plainSummaryReporter(): NamedReporterContract {
  return {
    name: 'plain-summary',
    handler(runner, emitter) {
      emitter.on('runner:end', () => {
        const { aggregates, hasError } = runner.getSummary()
        // A failing setup hook or an uncaught error counts as a failure too.
        const failed = aggregates.failed + (hasError && aggregates.failed === 0 ? 1 : 0)
        const skipped = aggregates.skipped + aggregates.todo
        const line =
          `${aggregates.passed + aggregates.regression} passed, ${failed} failed` +
          (skipped ? `, ${skipped} skipped` : '')
        process.once('exit', () => process.stdout.write(`${line}\n`))
      })
    },
  }
}
