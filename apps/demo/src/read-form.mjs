// Reads an application/x-www-form-urlencoded body from a Node request, for both frameworks.

const MAX_BYTES = 64 * 1024

/** The posted form as URLSearchParams (empty for other content types); rejects bodies over 64 KiB. */
export async function readForm(request) {
  const type = String(request.headers['content-type'] ?? '')
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams()
  let size = 0
  const chunks = []
  for await (const chunk of request) {
    size += chunk.length
    if (size > MAX_BYTES) throw Object.assign(new Error('form too large'), { status: 413, expose: true })
    chunks.push(chunk)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}
