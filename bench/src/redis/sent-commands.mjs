// Counts the commands a node-redis v5 client sends (what the network carries), as opposed to
// INFO commandstats, which also counts every command a Lua script runs inside Redis.

/**
 * Wraps `client` so each command it sends adds to a counter; returns `() => count`.
 * Single commands and EVALSHA/EVAL go through sendCommand; MULTI blocks add MULTI + EXEC.
 */
export function countSentCommands(client) {
  const self = client._self ?? client
  let sent = 0
  const sendCommand = self.sendCommand
  self.sendCommand = function countedSendCommand(...args) {
    sent += 1
    return sendCommand.apply(this, args)
  }
  for (const [name, extra] of [
    ['_executeMulti', 2],
    ['_executePipeline', 0],
  ]) {
    const original = self[name]
    if (typeof original !== 'function') continue
    self[name] = function countedBatch(commands, ...rest) {
      sent += commands.length + extra
      return original.call(this, commands, ...rest)
    }
  }
  return () => sent
}
