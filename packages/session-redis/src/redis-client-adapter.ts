import type { LuaScript } from './lua-scripts.js'

/** An argument of a Redis command. */
export type RedisArgument = string | Buffer

/** The part of node-redis' command options this package uses. */
export interface NodeRedisCommandOptions {
  /** Maps RESP types to JavaScript types (`{ 36: Buffer }` returns bulk strings as Buffers). */
  typeMapping?: Record<number, unknown>
  /** Drops the command when aborted before it was written to the socket. */
  abortSignal?: AbortSignal
}

/**
 * The part of a node-redis (v5 or v6) client from `createClient()` the store uses. Any connected
 * client from `redis` / `@redis/client` fits.
 */
export interface NodeRedisClient {
  /** Sends a raw command. */
  sendCommand(args: ReadonlyArray<RedisArgument>, options?: NodeRedisCommandOptions): Promise<unknown>
}

/**
 * The part of a node-redis (v5 or v6) cluster client from `createCluster()` the store uses.
 */
export interface NodeRedisCluster {
  /** Sends a raw command to the node serving `firstKey`. */
  sendCommand(
    firstKey: RedisArgument | undefined,
    isReadonly: boolean | undefined,
    args: ReadonlyArray<RedisArgument>,
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>
  /** The masters of the cluster. */
  readonly masters: ReadonlyArray<object>
  /** A connected client for one node. */
  nodeClient(node: object): Promise<NodeRedisClient>
}

/**
 * The part of an ioredis (v5 or v6) client (`new Redis()`) the store uses.
 * ioredis cannot drop a command once queued, so one that timed out may still run later.
 */
export interface IoRedisClient {
  /** Sends a raw command; bulk strings come back as Buffers. */
  callBuffer(command: string, args: Array<string | Buffer | number>): Promise<unknown>
}

/** The part of an ioredis (v5 or v6) cluster client (`new Cluster()`) the store uses. */
export interface IoRedisCluster extends IoRedisClient {
  /** The clients of the cluster's nodes of one role. */
  nodes(role: 'master'): IoRedisClient[]
}

/** A client the store accepts: a node-redis client or cluster, or an ioredis client or cluster. */
export type RedisSessionClient = NodeRedisClient | NodeRedisCluster | IoRedisClient | IoRedisCluster

/** RESP type code of bulk strings (`$`), the same in node-redis v5 and v6. */
const BLOB_STRING = 36
const BINARY: NodeRedisCommandOptions = { typeMapping: { [BLOB_STRING]: Buffer } }

/** The commands the store sends, the same for a single Redis and a cluster. */
export interface RedisCommands {
  /** Whether the client is a cluster. */
  readonly isCluster: boolean
  /** Sends a command routed by `key`; bulk strings come back as Buffers. */
  send(key: string, args: ReadonlyArray<RedisArgument>, signal: AbortSignal): Promise<unknown>
  /** Runs a script on the node of its first key (`EVALSHA`, then `EVAL` when not cached there). */
  run(
    script: LuaScript,
    keys: ReadonlyArray<string>,
    args: ReadonlyArray<RedisArgument>,
    signal: AbortSignal,
  ): Promise<unknown>
  /** One sender per node holding keys: the client itself, or every master of a cluster. */
  nodes(signal: AbortSignal): Promise<NodeSender[]>
}

/** Sends commands to one node (for SCAN and per-node deletes). */
export type NodeSender = (args: ReadonlyArray<RedisArgument>, signal: AbortSignal) => Promise<unknown>

function isIoRedis(client: RedisSessionClient): client is IoRedisClient | IoRedisCluster {
  return typeof (client as IoRedisClient).callBuffer === 'function'
}

function isCluster(client: NodeRedisClient | NodeRedisCluster): client is NodeRedisCluster {
  return 'masters' in client && typeof (client as NodeRedisCluster).nodeClient === 'function'
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT')
}

/** Adapts a node-redis or ioredis client or cluster to {@link RedisCommands}. */
export function adaptClient(client: RedisSessionClient): RedisCommands {
  let send: (key: string, args: ReadonlyArray<RedisArgument>, signal: AbortSignal) => Promise<unknown>
  let nodes: () => Promise<NodeSender[]>
  let cluster: boolean
  if (isIoRedis(client)) {
    const io = client
    const call = (node: IoRedisClient, args: ReadonlyArray<RedisArgument>) =>
      node.callBuffer(args[0] as string, args.slice(1))
    cluster = typeof (io as IoRedisCluster).nodes === 'function'
    send = (_key, args) => call(io, args)
    nodes = async () =>
      (cluster ? (io as IoRedisCluster).nodes('master') : [io]).map(
        (node) => (args: ReadonlyArray<RedisArgument>) => call(node, args),
      )
  } else if (isCluster(client)) {
    const nodeRedis = client
    cluster = true
    send = (key, args, signal) => nodeRedis.sendCommand(key, false, args, { ...BINARY, abortSignal: signal })
    nodes = async () => {
      const clients = await Promise.all(nodeRedis.masters.map((master) => nodeRedis.nodeClient(master)))
      return clients.map(
        (node) => (args, signal) => node.sendCommand(args, { ...BINARY, abortSignal: signal }),
      )
    }
  } else {
    const nodeRedis = client
    cluster = false
    send = (_key, args, signal) => nodeRedis.sendCommand(args, { ...BINARY, abortSignal: signal })
    nodes = async () => [(args, signal) => nodeRedis.sendCommand(args, { ...BINARY, abortSignal: signal })]
  }
  return {
    isCluster: cluster,
    send,
    async run(script, keys, args, signal) {
      const tail = [String(keys.length), ...keys, ...args]
      const key = keys[0] ?? ''
      try {
        return await send(key, ['EVALSHA', script.sha, ...tail], signal)
      } catch (error) {
        if (!isNoScript(error)) throw error
        return await send(key, ['EVAL', script.source, ...tail], signal)
      }
    },
    nodes,
  }
}
