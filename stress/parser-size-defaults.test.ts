// Issue 10 §5, the cases that fail today (see SECURITY.md "Known failures"): 50 MB inputs must be
// rejected by the limits. The Bag parsers' default maxInputBytes is 64 MiB, so a 50 MB input is
// parsed in full (over a second here), and restore() has no per-session bound at all, so a dump
// can plant a 50 MB session that every later request on it decodes.
import { Bag, BagError } from '@satchel/bag'
import {
  DUMP_FORMAT,
  DUMP_VERSION,
  digestId,
  MemorySessionStore,
  mintSessionId,
  SessionError,
} from '@satchel/session-core'
import { expect, it } from 'vitest'

const FIFTY_MB = 50 * 1024 * 1024

function outcome(parse: () => unknown): string {
  try {
    parse()
    return 'accepted'
  } catch (error) {
    return BagError.is(error) ? error.code : String(error)
  }
}

it('refuses a 50 MB input to every Bag parser under the default limits', () => {
  const big = 'a'.repeat(FIFTY_MB)
  const packed = new Bag()
  packed.set('a', big)
  const bytes = packed.toTytx({ transport: 'msgpack' })
  const xmlReader = (Bag as unknown as { fromXml: (text: string) => Bag }).fromXml
  expect({
    fromJson: outcome(() => Bag.fromJson(`["${big}"]`)),
    fromTytxJson: outcome(() => Bag.fromTytx(`{"rows":[["","a",null,"${big}",{}]]}`)),
    fromTytxMsgpack: outcome(() => Bag.fromTytx(bytes)),
    fromXml: outcome(() => xmlReader.call(Bag, `<a>${big}</a>`)),
  }).toEqual({
    fromJson: 'SIZE_LIMIT',
    fromTytxJson: 'SIZE_LIMIT',
    fromTytxMsgpack: 'SIZE_LIMIT',
    fromXml: 'SIZE_LIMIT',
  })
})

it('refuses a dump holding a 50 MB session in restore()', async () => {
  const store = new MemorySessionStore({ sweepInterval: 0 })
  const now = Date.now()
  const error = await store
    .restore({
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      sessions: [
        {
          digest: digestId(mintSessionId()),
          meta: { createdAt: now, lastAccess: now, ttl: 3600, absoluteTtl: null },
          auth: null,
          data: `{"rows":[["","a",null,"${'a'.repeat(FIFTY_MB)}",{}]]}`,
          avatarData: new Bag().toTytx(),
        },
      ],
    })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    )
  expect(SessionError.is(error)).toBe(true)
  expect(await store.count()).toBe(0)
})
