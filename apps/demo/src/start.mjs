// Placeholder until the demo issue lands: says so and exits cleanly.
console.log('The satchel demo is not built yet (see the apps/demo issue). Nothing to start.')
