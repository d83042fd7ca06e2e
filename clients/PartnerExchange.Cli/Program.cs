namespace PartnerExchange.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => Pxctl.RunAsync(args, Console.Out, Console.Error, PxctlEnvironment.Process);
}
