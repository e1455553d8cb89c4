import ace from '@adonisjs/core/services/ace'
import type { BaseCommand } from '@adonisjs/core/ace'

/**
 * Runs an Ace command in-process, as `node ace <name> …argv` would, with the
 * UI in raw mode so that its output can be read back. `prepare` may replace
 * a command's test seams (stdin/stdout) before it runs.
 */
export async function runCommand<T extends typeof BaseCommand>(
  Command: T,
  argv: string[],
  prepare?: (command: InstanceType<T>) => void
) {
  ace.ui.switchMode('raw')
  const command = (await ace.create(Command, argv)) as InstanceType<T>
  prepare?.(command)
  await command.exec()
  const logs = command.ui.logger.getLogs() as Array<{
    message: string
    stream: 'stdout' | 'stderr'
  }>
  command.ui.logger.flushLogs()
  const text = (stream: 'stdout' | 'stderr') =>
    logs
      .filter((log) => log.stream === stream)
      .map((log) => log.message)
      .join('\n')
  return { command, stdout: text('stdout'), stderr: text('stderr') }
}
