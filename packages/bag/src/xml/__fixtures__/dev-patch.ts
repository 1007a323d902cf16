// TEMPORARY: until the Bag class delegates to these modules.
import { Bag } from '../../bag.js'
import { columnsOf, digestBag, moveNodes, nodeByAttr, nodeByValue, queryBag, sortBag, sumBag } from '../../query.js'
import { renderTree } from '../../tree-view.js'
import { walkBag, walkEntries } from '../../walk.js'
import { readXml } from '../xml-reader.js'
import { writeXml } from '../xml-writer.js'
const B = Bag as unknown as Record<string, unknown>
const P = Bag.prototype as unknown as Record<string, unknown>
if (typeof P.toXml !== 'function') {
  P.toXml = function (this: Bag, o?: object) {
    return writeXml(this, o)
  }
  B.fromXml = (t: string, o?: object) => readXml(t, o ?? {}, Bag)
}
// biome-ignore lint/suspicious/noExplicitAny: temporary shim
const m: Record<string, (this: Bag, ...a: any[]) => unknown> = {
  query(w, o) { return queryBag(this, w, o) },
  digest(w, o) { return digestBag(this, w, o) },
  columns(c, o) { return columnsOf(this, c, o) },
  sum(w, o) { return sumBag(this, w, o) },
  sort(k) { return sortBag(this, k) },
  walk(cb, o) { return typeof cb === 'function' ? walkBag(this, cb, o) : walkEntries(this, cb) },
  move(w, p, o) { return moveNodes(this, w, p, o) },
  getNodeByAttr(n, v) { return nodeByAttr(this, n, v) },
  getNodeByValue(k, v) { return nodeByValue(this, k, v) },
  toString(o) { return renderTree(this, o) },
}
for (const [k, f] of Object.entries(m)) if (typeof P[k] !== 'function' || k === 'toString') P[k] = f
