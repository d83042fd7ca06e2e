using PartnerExchange.Server;

return args is [AccountsCommand.Name, ..]
    ? await AccountsCommand.RunAsync(args[1..], Console.Out, Console.Error)
    : await ServerProgram.RunAsync(args, Console.Out, Console.Error);
