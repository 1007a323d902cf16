import { Bag } from '@satchel/bag'
import type { AuthInfo } from './auth-snapshot.js'

type DataLoader = (owner: object) => Bag

const NO_TAGS: readonly string[] = Object.freeze([])

let attach: (avatar: Avatar, owner: object, loader: DataLoader) => void
let peek: (avatar: Avatar) => Bag | undefined

/**
 * The user behind a session: identity, authorisation tags and a Bag of per-user data that is
 * persisted with the session. Built from the session's auth snapshot.
 *
 * @example
 * ```ts
 * const avatar = new Avatar(undefined, undefined, { identity: 'ada', tags: ['admin'] })
 * avatar.hasTag('admin') // true
 * ```
 */
export class Avatar {
  /** `auth.identity` when built from auth, else the given identity (default `'anonymous'`). */
  readonly identity: string
  /** `auth.tags` when built from auth, else the given tags. */
  readonly tags: readonly string[]
  /** True when the avatar was built without auth. */
  readonly isAnonymous: boolean
  #data: Bag | undefined
  #owner: object | undefined
  #loader: DataLoader | undefined

  static {
    attach = (avatar, owner, loader) => {
      avatar.#owner = owner
      avatar.#loader = loader
    }
    peek = (avatar) => avatar.#data
  }

  constructor(identity = 'anonymous', tags: readonly string[] = NO_TAGS, auth?: AuthInfo | null) {
    if (auth) {
      this.identity = auth.identity
      const tags = auth.tags
      this.tags =
        tags === undefined || tags.length === 0
          ? NO_TAGS
          : Object.isFrozen(tags)
            ? tags
            : Object.freeze([...tags])
      this.isAnonymous = false
    } else {
      this.identity = identity
      this.tags = tags.length === 0 ? NO_TAGS : Object.freeze([...tags])
      this.isAnonymous = true
    }
  }

  /** Per-user data, persisted with the session; changes are tracked automatically. */
  get data(): Bag {
    if (this.#data === undefined) {
      this.#data = this.#loader === undefined ? new Bag() : this.#loader(this.#owner!)
    }
    return this.#data
  }

  /** Whether the avatar carries `tag`. */
  hasTag(tag: string): boolean {
    return this.tags.includes(tag)
  }
}

/** @internal Lets a Session provide (lazily decoded, tracked) avatar data. */
export function attachAvatarData(avatar: Avatar, owner: object, loader: DataLoader): void {
  attach(avatar, owner, loader)
}

/** @internal The avatar's data Bag if it was ever created, without creating it. */
export function peekAvatarData(avatar: Avatar): Bag | undefined {
  return peek(avatar)
}
