// Drives one server with autocannon and records what autocannon does not: exact latency
// percentiles from every response, and how many responses carried a Set-Cookie header.
import autocannon from 'autocannon'

function percentile(sorted, p) {
  if (sorted.length === 0) return null
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]
}

function hasSetCookie(rawHeaders) {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]
    if (name.length === 10 && name.toLowerCase() === 'set-cookie') return true
  }
  return false
}

/**
 * Runs autocannon against `http://127.0.0.1:<port><path>` for `duration` seconds.
 * Each connection sends its own cookie from `cookies` (one session per connection), or none.
 */
export async function runLoad({ port, path, cookies = [], connections, duration }) {
  let responses = 0
  let withSetCookie = 0
  const latencies = []
  let nextCookie = 0
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections,
    duration,
    pipelining: 1,
    // autocannon stops on its sampling tick: 100 ms ticks keep short windows short.
    sampleInt: 100,
    setupClient(client) {
      if (cookies.length > 0) client.setHeaders({ cookie: cookies[nextCookie++ % cookies.length] })
      client.on('headers', ({ headers }) => {
        responses += 1
        if (hasSetCookie(headers)) withSetCookie += 1
      })
      client.on('response', (_status, _bytes, responseTime) => {
        latencies.push(responseTime)
      })
    },
  })
  latencies.sort((a, b) => a - b)
  const completed = result.requests.total
  return {
    requests: completed,
    seconds: result.duration,
    requestsPerSecond: completed / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    setCookieShare: responses === 0 ? null : withSetCookie / responses,
  }
}
