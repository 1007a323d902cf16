// Entry point of `pnpm bench`; the suites are added by the benchmark issues.
console.log('No benchmark suites yet.')
