// One product server and one foreign client process at a time: the machine is small and shared, and the server-side
// checks of a case (its log lines, its held calls) must not mix with another case's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
