// The sampler cases build libtorch tensors; keep them off each other's threads like the other model test projects.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
