// Runs once before the demo test files: builds the packages the demo process runs on, so the
// test files (which run in parallel) never build concurrently.
import { buildPackages } from './demo-server.js'

export default async function setup(): Promise<void> {
  await buildPackages()
}
