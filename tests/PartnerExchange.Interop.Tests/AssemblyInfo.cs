// The suite starts servers and foreign client processes; on a small shared machine they run one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
