// Many tests seed libtorch's global generator (manual_seed) and then build modules or draw tensors; run in parallel,
// one test's draws would land between another's seed and its use.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
